/**
 * Compose import: turns a Docker Compose file into one candidate app spec per service. Pure (no
 * database, no Docker), so the preview and the import read a file the same way.
 *
 * Nothing is dropped in silence. What Berth cannot express is listed as `unsupported` with the
 * exact path in the file; what it expresses differently is listed as a `note`; what makes a
 * service impossible to import is an error. Candidates are then checked with `ZAppSpec`, whose
 * messages name the spec's fields.
 *
 * Sections: 1 limits and types, 2 reading YAML, 3 scalars (text, words, durations, sizes),
 * 4 image, argv and env, 5 ports and volumes, 6 deploy, 7 health check and restart, 8 services
 * and the file, 9 checking candidates and updates.
 */
import * as jsYaml from "js-yaml";

import {
  DEFAULT_CPU_REQUEST_MILLIS,
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_MEMORY_REQUEST_BYTES,
  DEFAULT_MAX_RESTARTS,
  GIB_BYTES,
  KIB_BYTES,
  MAX_RESTARTS,
  MIB_BYTES,
  MILLIS_PER_CPU,
  SECRET_MASK,
  TIB_BYTES,
  type TAppSpec,
  type TAppSpecView,
  ZAppSpec,
  describeBytes,
  describeMs,
  utf8Bytes,
} from "./spec";

// ---------------------------------------------------------------------------------------------
// 1. Limits and types
// ---------------------------------------------------------------------------------------------

/** The largest Compose file Berth reads; real ones are a few KiB. */
export const MAX_COMPOSE_BYTES = MIB_BYTES;
/** Values visited while reading, aliases counted each time they are used: stops alias bombs. */
export const MAX_COMPOSE_VALUES = 100_000;
/** Compose files are shallow; deeper nesting is refused while parsing. */
const MAX_YAML_DEPTH = 64;
export const MAX_COMPOSE_SERVICES = 200;

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

/**
 * YAML 1.2's core types plus `<<` merge keys, which Compose files use with anchors. Left out
 * on purpose: timestamps, binary, sets and other tags a Compose file has no use for.
 */
const COMPOSE_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [jsYaml.types.merge] });

type TRecord = Record<string, unknown>;

/** Collects a service's findings while it is read. */
type TReport = {
  error: (path: string, reason: string) => void;
  unsupported: (path: string, reason: string) => void;
  note: (path: string, reason: string) => void;
};

function isRecord(value: unknown): value is TRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) {
    return "null";
  }

  return Array.isArray(value) ? "a list" : `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------
// 2. Reading YAML
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// 3. Scalars: text, shell words, durations, sizes
// ---------------------------------------------------------------------------------------------

const INTERPOLATION = /\$(\{|[A-Za-z_])/;

/**
 * A scalar as text, with Compose's `$$` escape undone. `${VAR}` and `$VAR` are refused:
 * Compose fills them from the shell or `.env`, which Berth never sees.
 */
function text(value: unknown, path: string, report: TReport): string | undefined {
  if (typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  if (typeof value !== "string") {
    report.error(path, `must be text, not ${typeName(value)}`);

    return undefined;
  }
  const parts = value.split("$$");
  if (parts.some((part) => INTERPOLATION.test(part))) {
    report.error(
      path,
      "uses a variable (${...}); Compose fills it from the shell or .env, Berth does not: " +
        "write the value",
    );

    return undefined;
  }

  return parts.join("$");
}

/**
 * Splits a command line into words as a POSIX shell would, without running one: quotes group,
 * backslashes escape, and nothing is expanded. Returns undefined for an unclosed quote.
 */
export function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let hasWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const char = line.charAt(i);
    if (quote === "'") {
      if (char === "'") {
        quote = null;
      } else {
        word += char;
      }
    } else if (quote === '"') {
      if (char === '"') {
        quote = null;
      } else if (char === "\\" && i + 1 < line.length && '\\"$`\n'.includes(line.charAt(i + 1))) {
        i += 1;
        word += line.charAt(i) === "\n" ? "" : line.charAt(i);
      } else {
        word += char;
      }
    } else if (char === "'" || char === '"') {
      quote = char;
      hasWord = true;
    } else if (char === "\\") {
      i += 1;
      if (i < line.length && line.charAt(i) !== "\n") {
        word += line.charAt(i);
        hasWord = true;
      }
    } else if (/\s/.test(char)) {
      if (hasWord) {
        words.push(word);
      }
      word = "";
      hasWord = false;
    } else {
      word += char;
      hasWord = true;
    }
  }
  if (quote !== null) {
    return undefined;
  }
  if (hasWord) {
    words.push(word);
  }

  return words;
}

const DURATION_UNITS_MS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Compose duration (`1m30s`, `500ms`, `10s`) in milliseconds, or undefined. */
export function parseDuration(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^(\d+(\.\d+)?(us|ms|s|m|h))+$/.test(trimmed)) {
    return undefined;
  }
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) {
    total += Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? ""] ?? 0);
  }

  return total;
}

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  k: KIB_BYTES,
  m: MIB_BYTES,
  g: GIB_BYTES,
  t: TIB_BYTES,
};

/** A Compose size (`512M`, `1g`, `1.5GiB`, `1024`) in bytes, binary units as Docker reads them. */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  }
  const match = /^(\d+(?:\.\d+)?)\s?([kmgt]?)(?:i?b)?$/i.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const unit = SIZE_UNITS[(match[2] ?? "").toLowerCase()] ?? 1;

  return Math.round(Number(match[1]) * unit);
}

// ---------------------------------------------------------------------------------------------
// 4. Image, argv and env
// ---------------------------------------------------------------------------------------------

type TServiceContext = {
  /** `services.<key>` */
  path: string;
  candidate: TRecord;
  report: TReport;
};

/** Shell operators that a shell would act on but that an argv passes on as plain words. */
const SHELL_OPERATORS = new Set(["&&", "||", "|", ";", ">", ">>", "<", "&"]);

/** `command:` or `entrypoint:` as an argv: lists as they are, strings split into words. */
function readArgv(value: unknown, path: string, report: TReport): string[] | undefined {
  if (value === null) {
    return [];
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => text(item, `${path}.${index}`, report));

    return items.every((item) => item !== undefined) ? items : undefined;
  }
  const line = text(value, path, report);
  if (line === undefined) {
    return undefined;
  }
  const words = splitWords(line);
  if (!words) {
    report.error(path, "has a quote that is never closed");

    return undefined;
  }
  if (words.some((word) => SHELL_OPERATORS.has(word))) {
    report.note(
      path,
      "no shell runs the command, so operators such as && or | reach the program as " +
        'arguments; write ["/bin/sh", "-c", "..."] to use a shell',
    );
  }

  return words;
}

function readImage(value: unknown, ctx: TServiceContext): void {
  const image = text(value, `${ctx.path}.image`, ctx.report);
  if (image !== undefined) {
    ctx.candidate.image = image;
  }
}

function readCommand(value: unknown, ctx: TServiceContext): void {
  // Compose's command replaces the image's CMD: Berth's args.
  const args = readArgv(value, `${ctx.path}.command`, ctx.report);
  if (args) {
    ctx.candidate.args = args;
  }
}

function readEntrypoint(value: unknown, ctx: TServiceContext): void {
  // Compose's entrypoint replaces the image's ENTRYPOINT: Berth's command.
  const command = readArgv(value, `${ctx.path}.entrypoint`, ctx.report);
  if (command) {
    ctx.candidate.command = command;
  }
}

const INHERITED_ENV =
  "has no value: Compose takes it from the shell that runs compose, which Berth does not see";

function readEnvironment(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.environment`;
  const entries: [string, string][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const line = text(item, `${path}.${index}`, ctx.report);
      if (line === undefined) {
        return;
      }
      const equals = line.indexOf("=");
      if (equals < 0) {
        ctx.report.unsupported(`${path}.${index}`, `${line} ${INHERITED_ENV}`);
      } else {
        entries.push([line.slice(0, equals), line.slice(equals + 1)]);
      }
    });
  } else if (isRecord(value)) {
    for (const [name, raw] of Object.entries(value)) {
      if (raw === null) {
        ctx.report.unsupported(`${path}.${name}`, `${name} ${INHERITED_ENV}`);
        continue;
      }
      const env = text(raw, `${path}.${name}`, ctx.report);
      if (env !== undefined) {
        entries.push([name, env]);
      }
    }
  } else {
    ctx.report.error(path, 'must be a list of "NAME=value" or a map of NAME: value');

    return;
  }
  // fromEntries defines own properties, so a key such as __proto__ stays a plain key.
  ctx.candidate.env = Object.fromEntries(entries);
}

// ---------------------------------------------------------------------------------------------
// 5. Ports and volumes
// ---------------------------------------------------------------------------------------------

type TPortInput = { containerPort: number; protocol: string; hostPort?: number; name?: string };

const HOST_IP_NOTE =
  "the host address is dropped: Berth publishes ports on each node's own address";
const UNPUBLISHED_NOTE =
  "Compose would publish this port on a random host port; Berth does not publish it, and " +
  "the gateway reaches it";

function portNumber(raw: string): number | undefined {
  return /^\d{1,5}$/.test(raw) ? Number(raw) : undefined;
}

/** `80`, `8080:80`, `127.0.0.1:8080:80/udp`, `[::1]:8080:80`; ranges are refused. */
function readShortPort(spec: string, path: string, report: TReport): TPortInput | undefined {
  const [body = "", protocol = "tcp", ...extra] = spec.trim().split("/");
  if (extra.length > 0) {
    report.error(path, `"${spec}" is not a port: use [host:]container[/protocol]`);

    return undefined;
  }
  let rest = body;
  let hostIp: string | undefined;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(body);
  if (bracket) {
    hostIp = bracket[1];
    rest = bracket[2] ?? "";
  }
  const parts = rest.split(":");
  if (!bracket && parts.length === 3) {
    hostIp = parts.shift();
  }
  if (parts.length > 2 || parts.length === 0) {
    report.error(path, `"${spec}" is not a port: use [host_ip:][host:]container[/protocol]`);

    return undefined;
  }
  if (parts.some((part) => part.includes("-"))) {
    report.unsupported(path, `port ranges ("${spec}") are not supported: list each port`);

    return undefined;
  }
  const [first = "", second] = parts;
  const container = portNumber(second ?? first);
  const host = second === undefined || first === "" ? undefined : portNumber(first);
  if (container === undefined || (second !== undefined && first !== "" && host === undefined)) {
    report.error(path, `"${spec}" is not a port: ports are numbers from 1 to 65535`);

    return undefined;
  }
  if (hostIp) {
    report.note(path, HOST_IP_NOTE);
  }
  if (host === undefined) {
    report.note(path, UNPUBLISHED_NOTE);
  }

  return { containerPort: container, protocol, ...(host === undefined ? {} : { hostPort: host }) };
}

const LONG_PORT_FIELDS = new Set(["target", "published", "protocol", "host_ip", "name", "mode"]);

function readLongPort(port: TRecord, path: string, report: TReport): TPortInput | undefined {
  for (const key of Object.keys(port).filter((key) => !LONG_PORT_FIELDS.has(key))) {
    report.unsupported(`${path}.${key}`, "Berth ports have a number, protocol and name only");
  }
  const target = typeof port.target === "number" ? port.target : Number(port.target);
  if (!Number.isInteger(target)) {
    report.error(`${path}.target`, "must be the container's port number");

    return undefined;
  }
  const result: TPortInput = { containerPort: target, protocol: "tcp" };
  if (port.protocol !== undefined) {
    result.protocol = text(port.protocol, `${path}.protocol`, report) ?? "tcp";
  }
  if (port.published !== undefined && port.published !== null) {
    const published = text(port.published, `${path}.published`, report) ?? "";
    if (published.includes("-")) {
      report.unsupported(`${path}.published`, "port ranges are not supported: list each port");

      return undefined;
    }
    const host = portNumber(published);
    if (host === undefined) {
      report.error(`${path}.published`, "must be a port number from 1 to 65535");

      return undefined;
    }
    result.hostPort = host;
  } else {
    report.note(path, UNPUBLISHED_NOTE);
  }
  if (port.host_ip !== undefined) {
    report.note(`${path}.host_ip`, HOST_IP_NOTE);
  }
  if (port.mode !== undefined && port.mode !== "ingress") {
    report.note(`${path}.mode`, "Berth publishes on the node that runs each replica");
  }
  if (port.name !== undefined) {
    result.name = text(port.name, `${path}.name`, report);
  }

  return result;
}

function readPorts(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.ports`;
  if (!Array.isArray(value)) {
    ctx.report.error(path, 'must be a list, e.g. ["8080:80"]');

    return;
  }
  const ports: TPortInput[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}.${index}`;
    const port = isRecord(item)
      ? readLongPort(item, itemPath, ctx.report)
      : readShortPort(text(item, itemPath, ctx.report) ?? "", itemPath, ctx.report);
    if (port) {
      ports.push(port);
    }
  });
  ctx.candidate.ports = ports;
}

type TVolumeInput =
  | { kind: "volume"; name: string; mountPath: string; readOnly: boolean }
  | { kind: "bind"; hostPath: string; mountPath: string; readOnly: boolean };

const RELATIVE_SOURCE =
  "relative and home paths refer to the machine that runs compose: use a named volume, or an " +
  "absolute path on the nodes";
const ANONYMOUS_VOLUME = "anonymous volumes are not supported: give the volume a name (data:/path)";

function volumeFrom(
  source: string,
  target: string,
  readOnly: boolean,
  path: string,
  report: TReport,
): TVolumeInput | undefined {
  if (source === "") {
    report.unsupported(path, ANONYMOUS_VOLUME);

    return undefined;
  }
  if (source.startsWith(".") || source.startsWith("~")) {
    report.unsupported(path, RELATIVE_SOURCE);

    return undefined;
  }
  if (source.startsWith("/")) {
    report.note(path, "a bind mount of a node's directory: importing it needs the admin role");

    return { kind: "bind", hostPath: source, mountPath: target, readOnly };
  }

  return { kind: "volume", name: source, mountPath: target, readOnly };
}

/** `data:/var/lib/db`, `data:/var/lib/db:ro`, `/srv/www:/usr/share/nginx/html:ro`. */
function readShortVolume(spec: string, path: string, report: TReport): TVolumeInput | undefined {
  const parts = spec.split(":");
  if (parts.length === 1) {
    report.unsupported(path, ANONYMOUS_VOLUME);

    return undefined;
  }
  if (parts.length > 3) {
    report.error(path, `"${spec}" is not a volume: use source:target[:ro]`);

    return undefined;
  }
  const [source = "", target = "", mode = "rw"] = parts;
  const options = mode.split(",");
  for (const option of options.filter((option) => option !== "ro" && option !== "rw")) {
    report.unsupported(path, `the mount option "${option}" is not supported; only ro and rw`);
  }

  return volumeFrom(source, target, options.includes("ro"), path, report);
}

const LONG_VOLUME_FIELDS = new Set(["type", "source", "target", "read_only"]);

function readLongVolume(volume: TRecord, path: string, report: TReport): TVolumeInput | undefined {
  for (const key of Object.keys(volume).filter((key) => !LONG_VOLUME_FIELDS.has(key))) {
    report.unsupported(`${path}.${key}`, "Berth mounts have a source, a target and read_only");
  }
  const type = volume.type ?? "volume";
  if (type !== "volume" && type !== "bind") {
    const kind = typeof type === "string" ? type : typeName(type);
    report.unsupported(`${path}.type`, `${kind} mounts are not supported: use volume or bind`);

    return undefined;
  }
  const source =
    volume.source === undefined ? "" : (text(volume.source, `${path}.source`, report) ?? "");
  const target = text(volume.target, `${path}.target`, report);
  if (target === undefined) {
    return undefined;
  }

  return volumeFrom(source, target, volume.read_only === true, path, report);
}

function readVolumes(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.volumes`;
  if (!Array.isArray(value)) {
    ctx.report.error(path, 'must be a list, e.g. ["data:/var/lib/data"]');

    return;
  }
  const volumes: TVolumeInput[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}.${index}`;
    const volume = isRecord(item)
      ? readLongVolume(item, itemPath, ctx.report)
      : readShortVolume(text(item, itemPath, ctx.report) ?? "", itemPath, ctx.report);
    if (volume) {
      volumes.push(volume);
    }
  });
  ctx.candidate.volumes = volumes;
}

// ---------------------------------------------------------------------------------------------
// 6. Deploy: replicas, resources, placement
// ---------------------------------------------------------------------------------------------

function readCpus(value: unknown, path: string, report: TReport): number | undefined {
  const cpus = typeof value === "number" ? value : Number(text(value, path, report));
  if (!Number.isFinite(cpus) || cpus <= 0) {
    report.error(path, "must be a number of CPUs, e.g. 0.5");

    return undefined;
  }
  const millis = Math.round(cpus * MILLIS_PER_CPU);
  if (millis !== cpus * MILLIS_PER_CPU) {
    report.note(path, `rounded to ${millis} millicores`);
  }

  return millis;
}

function readMemory(value: unknown, path: string, report: TReport): number | undefined {
  const bytes =
    typeof value === "number" || typeof value === "string" ? parseBytes(value) : undefined;
  if (bytes === undefined) {
    report.error(path, "must be a size such as 512M or 1g");
  }

  return bytes;
}

type TResourcesInput = {
  cpuRequestMillis?: number;
  cpuLimitMillis?: number;
  memoryRequestBytes?: number;
  memoryLimitBytes?: number;
};

function readResourceBlock(
  value: unknown,
  path: string,
  report: TReport,
): { cpu?: number; memory?: number } {
  if (!isRecord(value)) {
    report.error(path, "must be a map with cpus and memory");

    return {};
  }
  const result: { cpu?: number; memory?: number } = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === "cpus") {
      result.cpu = readCpus(raw, `${path}.cpus`, report);
    } else if (key === "memory") {
      result.memory = readMemory(raw, `${path}.memory`, report);
    } else {
      report.unsupported(`${path}.${key}`, "Berth reserves and limits CPU and memory only");
    }
  }

  return result;
}

function readResources(value: unknown, path: string, ctx: TServiceContext): void {
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with limits and reservations");

    return;
  }
  const resources: TResourcesInput = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === "limits") {
      const limits = readResourceBlock(raw, `${path}.limits`, ctx.report);
      resources.cpuLimitMillis = limits.cpu;
      resources.memoryLimitBytes = limits.memory;
    } else if (key === "reservations") {
      const requests = readResourceBlock(raw, `${path}.reservations`, ctx.report);
      resources.cpuRequestMillis = requests.cpu;
      resources.memoryRequestBytes = requests.memory;
    } else {
      ctx.report.unsupported(`${path}.${key}`, "Berth reads limits and reservations only");
    }
  }
  // Berth always reserves something; keep its default reservation under a lower limit.
  const { cpuLimitMillis, memoryLimitBytes } = resources;
  if (resources.cpuRequestMillis === undefined && cpuLimitMillis !== undefined) {
    resources.cpuRequestMillis = Math.min(DEFAULT_CPU_REQUEST_MILLIS, cpuLimitMillis);
    ctx.report.note(
      `${path}.limits.cpus`,
      `no reservation given: Berth reserves ${resources.cpuRequestMillis} millicores per replica`,
    );
  }
  if (resources.memoryRequestBytes === undefined && memoryLimitBytes !== undefined) {
    resources.memoryRequestBytes = Math.min(DEFAULT_MEMORY_REQUEST_BYTES, memoryLimitBytes);
    const reserved = describeBytes(resources.memoryRequestBytes);
    ctx.report.note(
      `${path}.limits.memory`,
      `no reservation given: Berth reserves ${reserved} per replica`,
    );
  }
  ctx.candidate.resources = JSON.parse(JSON.stringify(resources)) as TRecord;
}

type TPlacementInput = {
  constraints: { key: string; operator: "==" | "!="; value: string }[];
  spreadBy?: string;
  maxPerNode?: number;
};

const CONSTRAINT = /^node\.labels\.([^\s=!]+)\s*(==|!=)\s*(.+)$/;

function readConstraints(value: unknown, path: string, report: TReport) {
  if (!Array.isArray(value)) {
    report.error(path, 'must be a list, e.g. ["node.labels.zone == eu"]');

    return [];
  }
  const constraints: TPlacementInput["constraints"] = [];
  value.forEach((item, index) => {
    const line = text(item, `${path}.${index}`, report);
    const match = line === undefined ? null : CONSTRAINT.exec(line.trim());
    if (line === undefined) {
      return;
    }
    if (!match) {
      report.unsupported(
        `${path}.${index}`,
        `"${line}": Berth places by node labels only (node.labels.KEY == value or !=)`,
      );

      return;
    }
    const [, key = "", operator, labelValue = ""] = match;
    constraints.push({ key, operator: operator === "!=" ? "!=" : "==", value: labelValue.trim() });
  });

  return constraints;
}

function readPreferences(value: unknown, path: string, report: TReport): string | undefined {
  const items = Array.isArray(value) ? value : [];
  let spreadBy: string | undefined;
  items.forEach((item, index) => {
    const spread = isRecord(item) ? item.spread : undefined;
    const match = typeof spread === "string" ? /^node\.labels\.(.+)$/.exec(spread) : null;
    if (match && spreadBy === undefined) {
      spreadBy = match[1];
    } else {
      report.unsupported(
        `${path}.${index}`,
        "Berth spreads by one node label only (spread: node.labels.KEY)",
      );
    }
  });

  return spreadBy;
}

function readPlacement(value: unknown, path: string, ctx: TServiceContext): void {
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with constraints");

    return;
  }
  const placement: TPlacementInput = { constraints: [] };
  for (const [key, raw] of Object.entries(value)) {
    if (key === "constraints") {
      placement.constraints = readConstraints(raw, `${path}.constraints`, ctx.report);
    } else if (key === "preferences") {
      placement.spreadBy = readPreferences(raw, `${path}.preferences`, ctx.report);
    } else if (key === "max_replicas_per_node") {
      placement.maxPerNode = raw as number;
    } else {
      ctx.report.unsupported(`${path}.${key}`, "not a placement rule Berth has");
    }
  }
  ctx.candidate.placement = JSON.parse(JSON.stringify(placement)) as TRecord;
}

function readDeploy(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.deploy`;
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map");

    return;
  }
  for (const [key, raw] of Object.entries(value)) {
    const keyPath = `${path}.${key}`;
    if (key === "replicas") {
      ctx.candidate.replicas = raw;
    } else if (key === "resources") {
      readResources(raw, keyPath, ctx);
    } else if (key === "placement") {
      readPlacement(raw, keyPath, ctx);
    } else if (key === "restart_policy") {
      readRestartPolicy(raw, keyPath, ctx);
    } else if (key === "mode" && raw === "replicated") {
      continue;
    } else {
      ctx.report.unsupported(keyPath, unsupportedReason(key));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 7. Health check and restart
// ---------------------------------------------------------------------------------------------

function readDurationMs(value: unknown, path: string, report: TReport): number | undefined {
  const raw = text(value, path, report);
  const ms = raw === undefined ? undefined : parseDuration(raw);
  if (ms === undefined) {
    if (raw !== undefined) {
      report.error(path, `"${raw}" is not a duration: use e.g. 10s, 1m30s or 500ms`);
    }

    return undefined;
  }
  if (!Number.isInteger(ms)) {
    report.note(path, `rounded to ${Math.round(ms)} ms`);
  }

  return Math.round(ms);
}

const HEALTH_TIMINGS: Record<string, string> = {
  interval: "intervalMs",
  timeout: "timeoutMs",
  start_period: "startPeriodMs",
};

function readHealthTest(
  value: unknown,
  path: string,
  report: TReport,
): string[] | null | undefined {
  if (typeof value === "string") {
    const line = text(value, path, report);

    return line === undefined ? undefined : ["/bin/sh", "-c", line];
  }
  const items = readArgv(value, path, report);
  const [kind, ...rest] = items ?? [];
  if (kind === "NONE") {
    return null;
  }
  if (kind === "CMD" && rest.length > 0) {
    return rest;
  }
  if (kind === "CMD-SHELL" && rest.length === 1) {
    return ["/bin/sh", "-c", rest[0] ?? ""];
  }
  if (items) {
    report.error(path, 'must be ["CMD", program, args...], ["CMD-SHELL", "line"] or ["NONE"]');
  }

  return undefined;
}

function readHealthcheck(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.healthcheck`;
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with test, interval, timeout and retries");

    return;
  }
  if (value.disable === true) {
    ctx.report.note(path, "disabled: the app gets no health check");

    return;
  }
  if (value.test === undefined) {
    ctx.report.unsupported(path, "a health check without test uses the image's: give test");

    return;
  }
  const command = readHealthTest(value.test, `${path}.test`, ctx.report);
  if (command === null) {
    ctx.report.note(`${path}.test`, "NONE: the app gets no health check");

    return;
  }
  const check: TRecord = { type: "command", command };
  for (const [key, raw] of Object.entries(value)) {
    const field = HEALTH_TIMINGS[key];
    if (field) {
      check[field] = readDurationMs(raw, `${path}.${key}`, ctx.report);
    } else if (key === "retries") {
      check.retries = raw;
    } else if (key !== "test" && key !== "disable") {
      ctx.report.unsupported(`${path}.${key}`, unsupportedReason(key));
    }
  }
  if (value.interval === undefined || value.timeout === undefined) {
    const interval = describeMs(DEFAULT_HEALTH_INTERVAL_MS);
    const defaults = `${interval}, ${describeMs(DEFAULT_HEALTH_TIMEOUT_MS)}`;
    ctx.report.note(
      path,
      `Compose defaults interval and timeout to 30s; Berth's defaults (${defaults}) apply`,
    );
  }
  if (command !== undefined) {
    ctx.candidate.healthCheck = JSON.parse(JSON.stringify(check)) as TRecord;
  }
}

const RESTART_NOTE =
  "Berth restarts a crashed replica in place with backoff, and marks it failed after " +
  "maxRestarts crashes in a row";

function readRestart(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.restart`;
  const policy = text(value, path, ctx.report);
  if (policy === undefined) {
    return;
  }
  const onFailure = /^on-failure(?::(\d+))?$/.exec(policy);
  if (policy === "no") {
    ctx.candidate.restart = { maxRestarts: 0 };
    ctx.report.note(path, "no: the first crash marks the replica failed (maxRestarts 0)");
  } else if (policy === "always" || policy === "unless-stopped") {
    ctx.candidate.restart = { maxRestarts: DEFAULT_MAX_RESTARTS };
    ctx.report.note(path, `${RESTART_NOTE} (${DEFAULT_MAX_RESTARTS}), not forever`);
  } else if (onFailure) {
    const count = onFailure[1] === undefined ? DEFAULT_MAX_RESTARTS : Number(onFailure[1]);
    ctx.candidate.restart = { maxRestarts: Math.min(count, MAX_RESTARTS) };
    ctx.report.note(path, `${RESTART_NOTE}; a clean exit is restarted too`);
  } else {
    ctx.report.error(path, 'must be "no", "always", "on-failure[:N]" or "unless-stopped"');
  }
}

function readRestartPolicy(value: unknown, path: string, ctx: TServiceContext): void {
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with condition, delay and max_attempts");

    return;
  }
  const restart: TRecord = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === "max_attempts") {
      restart.maxRestarts = raw;
    } else if (key === "delay") {
      restart.backoffInitialMs = readDurationMs(raw, `${path}.delay`, ctx.report);
    } else if (key === "condition" && raw === "none") {
      restart.maxRestarts = 0;
    } else if (key === "condition") {
      ctx.report.note(`${path}.condition`, RESTART_NOTE);
    } else {
      ctx.report.unsupported(`${path}.${key}`, unsupportedReason(key));
    }
  }
  if (ctx.candidate.restart !== undefined) {
    ctx.report.note(path, "deploy.restart_policy is used; restart is ignored");
  }
  ctx.candidate.restart = JSON.parse(JSON.stringify(restart)) as TRecord;
}

// ---------------------------------------------------------------------------------------------
// 8. Services and the file
// ---------------------------------------------------------------------------------------------

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

function unsupportedReason(key: string): string {
  if (key.startsWith("x-")) {
    return "an extension field: ignored, as Compose ignores it too (anchors in it still work)";
  }

  return UNSUPPORTED_REASONS[key] ?? "Berth has no setting for this";
}

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

// ---------------------------------------------------------------------------------------------
// 9. Checking candidates, and updates of existing apps
// ---------------------------------------------------------------------------------------------

export type TFieldErrors = Record<string, string[]>;

export type TComposeCheck =
  { spec: TAppSpec; fieldErrors: null } | { spec: null; fieldErrors: TFieldErrors };

/**
 * The service's spec, or its errors keyed by dotted path: paths in the file (`services.web.image`)
 * for what could not be read, spec paths (`ports.0.hostPort`) for what `ZAppSpec` refuses.
 */
export function checkComposeService(service: TComposeService): TComposeCheck {
  const fieldErrors: TFieldErrors = {};
  for (const error of service.errors) {
    (fieldErrors[error.path] ??= []).push(error.reason);
  }
  const parsed = ZAppSpec.safeParse(service.candidate);
  if (parsed.success && service.errors.length === 0) {
    return { spec: parsed.data, fieldErrors: null };
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join(".") || "input";
      // A field the file could not give is already explained at its path in the file.
      if (issue.path.length === 1 && !(key in service.candidate)) {
        const explained = service.errors.some((error) => error.path.endsWith(`.${key}`));
        if (explained) {
          continue;
        }
      }
      (fieldErrors[key] ??= []).push(issue.message);
    }
  }

  return { spec: null, fieldErrors };
}

/**
 * What an update from a Compose file keeps of the app's current spec: the fields Compose
 * cannot express (secrets, load balancing, rolling update, strategy, anti-affinity). Secrets
 * come back masked, so the update keeps their stored values. Returns the notes to show.
 */
export function keepCurrentFields(
  spec: TAppSpec,
  current: TAppSpecView,
): { spec: TAppSpec; kept: string[] } {
  const secrets = Object.fromEntries(
    Object.keys(current.secrets)
      .filter((name) => !Object.hasOwn(spec.env, name))
      .map((name) => [name, SECRET_MASK] as const),
  );
  const kept = [
    Object.keys(secrets).length > 0 ? "secrets" : "",
    current.lb ? "load balancing" : "",
    "rolling update settings",
    "placement strategy and anti-affinity",
  ].filter(Boolean);
  const next: TAppSpec = {
    ...spec,
    secrets,
    lb: current.lb,
    update: current.update,
    placement: {
      ...spec.placement,
      strategy: current.placement.strategy,
      antiAffinity: current.placement.antiAffinity,
    },
  };

  return { spec: next, kept };
}
