/**
 * The Compose reader's shared vocabulary: the findings it reports (errors, unsupported keys,
 * notes) and the service it returns, the report and context each field reader is given, and
 * the reasons shown for keys Berth leaves out.
 */

/** One finding, at its path in the file, e.g. `services.web.networks`. */
export type TComposeEntry = { path: string; reason: string };

export type TComposeService = {
  /** The service's key, as written in the file. */
  key: string;
  /** The app's name: the key, lower-cased when that makes it valid. */
  name: string;
  /** The spec fields that could be read; checked with `ZAppSpec` by `checkComposeService`. */
  candidate: Record<string, unknown>;
  /** What stops this service from being imported, at its path in the file. */
  errors: TComposeEntry[];
  unsupported: TComposeEntry[];
  /** Lossy conversions: imported, but not exactly as Compose would run it. */
  notes: TComposeEntry[];
};

export type TComposeFile = {
  services: TComposeService[];
  /** Top-level keys Berth does not import. */
  unsupported: TComposeEntry[];
  notes: TComposeEntry[];
};

export type TComposeParse = { ok: true; file: TComposeFile } | { ok: false; message: string };

/** A YAML map, as js-yaml returns it. */
export type TRecord = Record<string, unknown>;

/** Collects a service's findings while it is read. */
export type TReport = {
  error: (path: string, reason: string) => void;
  unsupported: (path: string, reason: string) => void;
  note: (path: string, reason: string) => void;
};

/** True for a map: not null, not a list. */
export function isRecord(value: unknown): value is TRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How a value's type is named in a message: `null`, `a list`, `a string`... */
export function typeName(value: unknown): string {
  if (value === null) {
    return "null";
  }

  return Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

/** What a field reader needs: where the service is, what it fills in, where findings go. */
export type TServiceContext = {
  /** `services.<key>` */
  path: string;
  candidate: TRecord;
  report: TReport;
};

/** Why Berth leaves a Compose key out, for the keys people ask about most. */
const UNSUPPORTED_REASONS: Record<string, string> = {
  build: "Berth runs images and does not build them: build and push the image, then give image",
  networks: "every app shares the node's network; apps reach each other through the gateway",
  depends_on: "Berth starts every app on its own; make the app retry until what it needs is up",
  secrets: "add secrets to the app in Berth, where they are sealed at rest",
  configs: "put configuration in env or in a volume",
  env_file: "the file lives on the machine that runs compose: copy its entries into environment",
  labels: "Berth sets its own container labels",
  container_name: "Berth names containers after the app and replica",
  links: "apps reach each other through the gateway",
  extends: "copy the shared fields into the service, or use YAML anchors",
  profiles: "every service in the file can be imported; choose which below",
  update_config: "set the app's rolling update (maxSurge, maxUnavailable) in Berth",
  rollback_config: "Berth rolls back to the previous revision on failed health checks",
  mode: "Berth runs a replica count (replicated); global services are not supported",
  start_interval: "Berth checks at one interval",
};

/** Why a key is left out: a known reason, or a generic one. */
export function unsupportedReason(key: string): string {
  if (key.startsWith("x-")) {
    return "an extension field: ignored, as Compose ignores it too (anchors in it still work)";
  }

  return UNSUPPORTED_REASONS[key] ?? "Berth has no setting for this";
}
