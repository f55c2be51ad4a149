/**
 * The file and its services: each service's key becomes an app name, each field goes to its
 * reader, and every other key is reported. Top-level keys other than `services` are listed too.
 */
import { readCommand, readEntrypoint, readEnvironment, readImage } from "./container";
import { readDeploy } from "./deploy";
import { readHealthcheck, readRestart } from "./health-restart";
import { readPorts } from "./ports";
import {
  type TComposeFile,
  type TComposeParse,
  type TComposeService,
  type TRecord,
  type TReport,
  type TServiceContext,
  isRecord,
  typeName,
  unsupportedReason,
} from "./types";
import { readVolumes } from "./volumes";
import { readYaml } from "./yaml";

export const MAX_COMPOSE_SERVICES = 200;

type TFieldReader = (value: unknown, ctx: TServiceContext) => void;

const SERVICE_READERS: Record<string, TFieldReader> = {
  image: readImage,
  command: readCommand,
  entrypoint: readEntrypoint,
  environment: readEnvironment,
  ports: readPorts,
  volumes: readVolumes,
  deploy: readDeploy,
  healthcheck: readHealthcheck,
  restart: readRestart,
};

const APP_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const APP_NAME_RULE =
  "app names use lowercase letters, digits and '-', start and end with a letter or digit, " +
  "and have at most 63 characters: rename the service";

function newReport(): TReport & { entries: Omit<TComposeService, "key" | "name" | "candidate"> } {
  const entries = { errors: [], unsupported: [], notes: [] } as Omit<
    TComposeService,
    "key" | "name" | "candidate"
  >;

  return {
    entries,
    error: (path, reason) => entries.errors.push({ path, reason }),
    unsupported: (path, reason) => entries.unsupported.push({ path, reason }),
    note: (path, reason) => entries.notes.push({ path, reason }),
  };
}

/** One service as a candidate spec with its findings. */
export function readService(key: string, value: unknown): TComposeService {
  const path = `services.${key}`;
  const report = newReport();
  const name = key.toLowerCase();
  if (!APP_NAME.test(name) || name.length > 63) {
    report.error(path, `"${key}" cannot be an app name: ${APP_NAME_RULE}`);
  } else if (name !== key) {
    report.note(path, `the app is named ${name}: app names are lowercase`);
  }
  const candidate: TRecord = { name };
  const ctx: TServiceContext = { path, candidate, report };
  if (!isRecord(value)) {
    report.error(path, `must be a map of settings, not ${typeName(value)}`);

    return { key, name, candidate, ...report.entries };
  }
  for (const [field, raw] of Object.entries(value)) {
    const reader = SERVICE_READERS[field];
    if (reader) {
      reader(raw, ctx);
    } else {
      report.unsupported(`${path}.${field}`, unsupportedReason(field));
    }
  }
  if (value.image === undefined) {
    const why = value.build === undefined ? "" : "; Berth does not build images";
    report.error(`${path}.image`, `is required: give the image to run${why}`);
  }

  return { key, name, candidate, ...report.entries };
}

function readServices(services: TRecord): TComposeService[] {
  const seen = new Map<string, string>();

  return Object.entries(services).map(([key, value]) => {
    const service = readService(key, value);
    const earlier = seen.get(service.name);
    if (earlier !== undefined) {
      service.errors.push({
        path: `services.${key}`,
        reason: `becomes the app ${service.name}, as services.${earlier} does: rename one`,
      });
    }
    seen.set(service.name, key);

    return service;
  });
}

/** Parses a Compose file into one candidate app per service, with everything left out listed. */
export function parseCompose(text: string): TComposeParse {
  const read = readYaml(text);
  if (!read.ok) {
    return read;
  }
  const root = read.value;
  if (!isRecord(root)) {
    const got = root === undefined ? "nothing" : typeName(root);

    return { ok: false, message: `A Compose file is a map with services: at the top; got ${got}.` };
  }
  if (!isRecord(root.services)) {
    return { ok: false, message: "The file has no services: map, so there is nothing to import." };
  }
  const count = Object.keys(root.services).length;
  if (count > MAX_COMPOSE_SERVICES) {
    const limit = `import at most ${MAX_COMPOSE_SERVICES} at once`;
    const message = `The file has ${count} services; ${limit}.`;

    return { ok: false, message };
  }
  const file: TComposeFile = { services: readServices(root.services), unsupported: [], notes: [] };
  for (const key of Object.keys(root)) {
    if (key === "version") {
      file.notes.push({ path: key, reason: "obsolete in Compose, and not needed by Berth" });
    } else if (key === "name") {
      file.notes.push({ path: key, reason: "the project name is not used: apps are not grouped" });
    } else if (key === "volumes") {
      const reason = "Berth creates named volumes on the node on first use; options are ignored";
      file.unsupported.push({ path: key, reason });
    } else if (key !== "services") {
      file.unsupported.push({ path: key, reason: unsupportedReason(key) });
    }
  }

  return { ok: true, file };
}
