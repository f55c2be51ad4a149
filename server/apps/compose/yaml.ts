/**
 * Reading a Compose file's YAML within limits: its size in bytes, its nesting depth, and the
 * number of values it expands to once aliases are filled in. Only the core schema and merge
 * keys are read.
 */
import * as jsYaml from "js-yaml";

import { MIB_BYTES, describeBytes, utf8Bytes } from "../spec";

import { isRecord } from "./types";

/** The largest Compose file Berth reads; real ones are a few KiB. */
export const MAX_COMPOSE_BYTES = MIB_BYTES;
/** Values visited while reading, aliases counted each time they are used: stops alias bombs. */
export const MAX_COMPOSE_VALUES = 100_000;
/** Compose files are shallow; deeper nesting is refused while parsing. */
const MAX_YAML_DEPTH = 64;

/**
 * YAML 1.2's core types plus `<<` merge keys, which Compose files use with anchors. Left out
 * on purpose: timestamps, binary, sets and other tags a Compose file has no use for.
 */
const COMPOSE_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [jsYaml.types.merge] });

function yamlMessage(error: unknown): string {
  if (error instanceof jsYaml.YAMLException) {
    const where = error.mark
      ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}`
      : "";
    const reason = (error.reason ?? error.message).split("\n")[0] ?? "";

    return `The file is not valid YAML${where}: ${reason}.`;
  }

  return "The file is not valid YAML.";
}

/**
 * Counts every value reachable from `root`, visiting an aliased value once per use, as any
 * later walk would. An alias bomb (a list of aliases of lists of aliases...) parses into little
 * memory but expands exponentially; it stops here, before anything walks it.
 */
function exceedsValueBudget(root: unknown, budget: number): boolean {
  let visited = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    visited += 1;
    if (visited > budget) {
      return true;
    }
    if (Array.isArray(value)) {
      stack.push(...(value as unknown[]));
    } else if (isRecord(value)) {
      stack.push(...Object.values(value));
    }
  }

  return false;
}

/** Parses the text as YAML, within the size and expansion limits. */
export function readYaml(
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const bytes = utf8Bytes(text);
  if (bytes > MAX_COMPOSE_BYTES) {
    const limit = describeBytes(MAX_COMPOSE_BYTES);
    const message = `The file is ${describeBytes(bytes)}; Compose files must be at most ${limit}.`;

    return { ok: false, message };
  }
  let value: unknown;
  try {
    value = jsYaml.load(text, { schema: COMPOSE_SCHEMA, maxDepth: MAX_YAML_DEPTH });
  } catch (error) {
    return { ok: false, message: yamlMessage(error) };
  }
  if (exceedsValueBudget(value, MAX_COMPOSE_VALUES)) {
    const message =
      `The file expands to more than ${MAX_COMPOSE_VALUES} values once its aliases (*name) ` +
      "are filled in. Repeat blocks fewer times.";

    return { ok: false, message };
  }

  return { ok: true, value };
}
