/**
 * Compose import: turns a Docker Compose file into one candidate app spec per service. Pure (no
 * database, no Docker), so the preview and the import read a file the same way.
 *
 * Nothing is dropped in silence. What Berth cannot express is listed as `unsupported` with the
 * exact path in the file; what it expresses differently is listed as a `note`; what makes a
 * service impossible to import is an error. Candidates are then checked with `ZAppSpec`, whose
 * messages name the spec's fields.
 *
 * Modules: yaml (reading and limits), scalars (text, words, durations, sizes), container (image,
 * argv, env), ports, volumes, deploy, health-restart, parse (services and the file), check
 * (checking candidates and updates), types (findings and the report).
 */
export {
  type TComposeCheck,
  type TFieldErrors,
  checkComposeService,
  keepCurrentFields,
} from "./check";
export { MAX_COMPOSE_SERVICES, parseCompose, readService } from "./parse";
export { parseBytes, parseDuration, splitWords } from "./scalars";
export type { TComposeEntry, TComposeFile, TComposeParse, TComposeService } from "./types";
export { MAX_COMPOSE_BYTES, MAX_COMPOSE_VALUES, readYaml } from "./yaml";
