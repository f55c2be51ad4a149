/**
 * The deploy form's state and how it becomes an app spec and back: text fields as typed,
 * turned into numbers and bytes only when checked, with the server's own schema (`ZAppSpec`).
 * The same form edits an app, so `formOf(spec)` and `checkAppForm` are inverses: a spec read
 * back (secrets as the mask) gives the same spec when submitted unchanged.
 *
 * Sections: 1 the form's state, 2 from a spec to the form, 3 from the form to a spec, 4 field
 * errors, 5 checking.
 */
import type { TKeyValueRow, TRowErrors } from "@/components/forms/key-value-editor";
import { fieldErrorsFromZod } from "@/components/forms/field-errors";
import type { TFieldErrors } from "@/components/trpc/errors";
import {
  type CONSTRAINT_OPERATORS,
  DEFAULT_BACKOFF_INITIAL_MS,
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_CPU_REQUEST_MILLIS,
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_RETRIES,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_MAX_RESTARTS,
  DEFAULT_MAX_SURGE,
  DEFAULT_MAX_UNAVAILABLE,
  DEFAULT_MEMORY_REQUEST_BYTES,
  DEFAULT_REPLICAS,
  type LB_POLICIES,
  MIB_BYTES,
  type PLACEMENT_STRATEGIES,
  type PROTOCOLS,
  type TAppSpec,
  type TConstraint,
  type THealthCheck,
  type TPort,
  type TVolume,
  ZAppSpec,
} from "@/server/apps/spec";

// ---------------------------------------------------------------------------------------------
// 1. The form's state
// ---------------------------------------------------------------------------------------------

export type TEnvRow = TKeyValueRow;
export type TProtocol = (typeof PROTOCOLS)[number];
export type TStrategy = (typeof PLACEMENT_STRATEGIES)[number];
export type TOperator = (typeof CONSTRAINT_OPERATORS)[number];
export type THealthType = "none" | THealthCheck["type"];
export type TLbChoice = "" | (typeof LB_POLICIES)[number];

export type TPortRow = {
  rowId: string;
  containerPort: string;
  protocol: TProtocol;
  hostPort: string;
  name: string;
};

/** `source` is the volume's name, or the host path of a bind mount. */
export type TVolumeRow = {
  rowId: string;
  kind: TVolume["kind"];
  source: string;
  mountPath: string;
  isReadOnly: boolean;
};

/** `value` holds one value, or for `in` several, separated by commas. */
export type TConstraintRow = { rowId: string; key: string; operator: TOperator; value: string };

export type TAppForm = {
  name: string;
  image: string;
  replicas: string;
  /** Argv lists, one item per line. */
  command: string;
  args: string;
  envRows: TEnvRow[];
  secretRows: TEnvRow[];
  portRows: TPortRow[];
  volumeRows: TVolumeRow[];
  cpuRequestMillis: string;
  cpuLimitMillis: string;
  memoryRequestMib: string;
  memoryLimitMib: string;
  strategy: TStrategy;
  constraintRows: TConstraintRow[];
  maxPerNode: string;
  spreadBy: string;
  /** App names, separated by commas or spaces. */
  antiAffinity: string;
  healthType: THealthType;
  healthPath: string;
  healthPort: string;
  healthCommand: string;
  healthIntervalMs: string;
  healthTimeoutMs: string;
  healthRetries: string;
  healthStartPeriodMs: string;
  maxSurge: string;
  maxUnavailable: string;
  isAutoRollback: boolean;
  maxRestarts: string;
  backoffInitialMs: string;
  backoffMaxMs: string;
  lbPolicy: TLbChoice;
};

export const EMPTY_PORT_ROW: Omit<TPortRow, "rowId"> = {
  containerPort: "",
  protocol: "tcp",
  hostPort: "",
  name: "",
};

export const EMPTY_VOLUME_ROW: Omit<TVolumeRow, "rowId"> = {
  kind: "volume",
  source: "",
  mountPath: "",
  isReadOnly: false,
};

export const EMPTY_CONSTRAINT_ROW: Omit<TConstraintRow, "rowId"> = {
  key: "",
  operator: "==",
  value: "",
};

const HEALTH_TIMING_DEFAULTS = {
  healthIntervalMs: String(DEFAULT_HEALTH_INTERVAL_MS),
  healthTimeoutMs: String(DEFAULT_HEALTH_TIMEOUT_MS),
  healthRetries: String(DEFAULT_HEALTH_RETRIES),
  healthStartPeriodMs: "0",
};

/** A new app: every field at the schema's default, and one blank port row to fill in. */
export const EMPTY_APP_FORM: TAppForm = {
  name: "",
  image: "",
  replicas: String(DEFAULT_REPLICAS),
  command: "",
  args: "",
  envRows: [],
  secretRows: [],
  portRows: [{ rowId: "port-0", ...EMPTY_PORT_ROW }],
  volumeRows: [],
  cpuRequestMillis: String(DEFAULT_CPU_REQUEST_MILLIS),
  cpuLimitMillis: "",
  memoryRequestMib: String(DEFAULT_MEMORY_REQUEST_BYTES / MIB_BYTES),
  memoryLimitMib: "",
  strategy: "spread",
  constraintRows: [],
  maxPerNode: "",
  spreadBy: "",
  antiAffinity: "",
  healthType: "none",
  healthPath: "",
  healthPort: "",
  healthCommand: "",
  ...HEALTH_TIMING_DEFAULTS,
  maxSurge: String(DEFAULT_MAX_SURGE),
  maxUnavailable: String(DEFAULT_MAX_UNAVAILABLE),
  isAutoRollback: true,
  maxRestarts: String(DEFAULT_MAX_RESTARTS),
  backoffInitialMs: String(DEFAULT_BACKOFF_INITIAL_MS),
  backoffMaxMs: String(DEFAULT_BACKOFF_MAX_MS),
  lbPolicy: "",
};

// ---------------------------------------------------------------------------------------------
// 2. From a spec to the form
// ---------------------------------------------------------------------------------------------

/**
 * One line per argv item; an empty list is an empty box. A final empty item gets a line break
 * of its own, since `argvOf` reads one final line break as the end of the last line.
 */
function argvText(argv: readonly string[]): string {
  const text = argv.join("\n");

  return argv.at(-1) === "" ? `${text}\n` : text;
}

function optionalText(value: number | string | undefined): string {
  return value === undefined ? "" : String(value);
}

function keyValueRows(record: Record<string, string>, prefix: string): TEnvRow[] {
  return Object.entries(record).map(([key, value], index) => ({
    rowId: `${prefix}-${index}`,
    key,
    value,
  }));
}

function portRow(port: TPort, index: number): TPortRow {
  return {
    rowId: `port-${index}`,
    containerPort: String(port.containerPort),
    protocol: port.protocol,
    hostPort: optionalText(port.hostPort),
    name: port.name ?? "",
  };
}

function volumeRow(volume: TVolume, index: number): TVolumeRow {
  const source = volume.kind === "bind" ? volume.hostPath : volume.name;

  return {
    rowId: `volume-${index}`,
    kind: volume.kind,
    source,
    mountPath: volume.mountPath,
    isReadOnly: volume.readOnly,
  };
}

function constraintRow(constraint: TConstraint, index: number): TConstraintRow {
  const value = constraint.operator === "in" ? constraint.values.join(", ") : constraint.value;

  return {
    rowId: `constraint-${index}`,
    key: constraint.key,
    operator: constraint.operator,
    value,
  };
}

function healthFields(check: THealthCheck | undefined): Partial<TAppForm> {
  if (!check) {
    return { healthType: "none" };
  }

  return {
    healthType: check.type,
    healthPath: check.type === "http" ? check.path : "",
    healthPort: check.type === "command" ? "" : String(check.port),
    healthCommand: check.type === "command" ? argvText(check.command) : "",
    healthIntervalMs: String(check.intervalMs),
    healthTimeoutMs: String(check.timeoutMs),
    healthRetries: String(check.retries),
    healthStartPeriodMs: String(check.startPeriodMs),
  };
}

/**
 * The form that shows `spec`, e.g. an app's current spec for editing. Secrets keep whatever
 * value the spec holds: for a spec read from the API, the mask, which the server keeps as is.
 */
export function formOf(spec: TAppSpec): TAppForm {
  const { resources, placement, update, restart } = spec;

  return {
    ...EMPTY_APP_FORM,
    name: spec.name,
    image: spec.image,
    replicas: String(spec.replicas),
    command: argvText(spec.command),
    args: argvText(spec.args),
    envRows: keyValueRows(spec.env, "env"),
    secretRows: keyValueRows(spec.secrets, "secret"),
    portRows: spec.ports.map(portRow),
    volumeRows: spec.volumes.map(volumeRow),
    cpuRequestMillis: String(resources.cpuRequestMillis),
    cpuLimitMillis: optionalText(resources.cpuLimitMillis),
    memoryRequestMib: String(resources.memoryRequestBytes / MIB_BYTES),
    memoryLimitMib: optionalText(mib(resources.memoryLimitBytes)),
    strategy: placement.strategy,
    constraintRows: placement.constraints.map(constraintRow),
    maxPerNode: optionalText(placement.maxPerNode),
    spreadBy: placement.spreadBy ?? "",
    antiAffinity: placement.antiAffinity.join(", "),
    ...healthFields(spec.healthCheck),
    maxSurge: String(update.maxSurge),
    maxUnavailable: String(update.maxUnavailable),
    isAutoRollback: update.autoRollback,
    maxRestarts: String(restart.maxRestarts),
    backoffInitialMs: String(restart.backoffInitialMs),
    backoffMaxMs: String(restart.backoffMaxMs),
    lbPolicy: spec.lb?.policy ?? "",
  };
}

/** Bytes as MiB; exact, since dividing by a power of two loses nothing. */
function mib(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytes / MIB_BYTES;
}

// ---------------------------------------------------------------------------------------------
// 3. From the form to a spec
// ---------------------------------------------------------------------------------------------

/** An empty box is no number, so the schema says what is expected instead of taking 0. */
function toNumber(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

/** An empty box leaves an optional field out. */
function toOptionalNumber(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

function toOptionalText(text: string): string | undefined {
  return text.trim() === "" ? undefined : text.trim();
}

/**
 * Argv from one item per line, each taken as typed: no shell, no quotes, no splitting on
 * spaces. An empty box is an empty list, and a final line break adds no empty item.
 */
export function argvOf(text: string): string[] {
  if (text === "") {
    return [];
  }

  return text.replace(/\n$/, "").split("\n");
}

function splitList(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

const isBlankPort = (row: TPortRow) =>
  row.containerPort.trim() === "" && row.hostPort.trim() === "" && row.name.trim() === "";
const isBlankVolume = (row: TVolumeRow) => row.source.trim() === "" && row.mountPath.trim() === "";
const isBlankConstraint = (row: TConstraintRow) => row.key.trim() === "" && row.value.trim() === "";
const isBlankVariable = (row: TEnvRow) => row.key.trim() === "" && row.value === "";

/** The rows that become spec items, in order: rows left entirely blank are skipped. */
export function keptRows(form: TAppForm) {
  return {
    ports: form.portRows.filter((row) => !isBlankPort(row)),
    volumes: form.volumeRows.filter((row) => !isBlankVolume(row)),
    constraints: form.constraintRows.filter((row) => !isBlankConstraint(row)),
  };
}

function variablesOf(rows: readonly TEnvRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.filter((row) => !isBlankVariable(row)).map((row) => [row.key.trim(), row.value]),
  );
}

function portOf(row: TPortRow) {
  return {
    containerPort: toNumber(row.containerPort),
    protocol: row.protocol,
    hostPort: toOptionalNumber(row.hostPort),
    name: toOptionalText(row.name),
  };
}

function volumeOf(row: TVolumeRow) {
  const mount = { mountPath: row.mountPath.trim(), readOnly: row.isReadOnly };
  if (row.kind === "bind") {
    return { kind: "bind" as const, hostPath: row.source.trim(), ...mount };
  }

  return { kind: "volume" as const, name: row.source.trim(), ...mount };
}

function constraintOf(row: TConstraintRow) {
  const key = row.key.trim();
  if (row.operator === "in") {
    return { key, operator: row.operator, values: splitList(row.value, /,/) };
  }

  return { key, operator: row.operator, value: row.value.trim() };
}

function healthCheckOf(form: TAppForm) {
  const timing = {
    intervalMs: toNumber(form.healthIntervalMs),
    timeoutMs: toNumber(form.healthTimeoutMs),
    retries: toNumber(form.healthRetries),
    startPeriodMs: toNumber(form.healthStartPeriodMs),
  };
  switch (form.healthType) {
    case "none":
      return undefined;
    case "http":
      return {
        type: "http" as const,
        path: form.healthPath.trim(),
        port: toNumber(form.healthPort),
        ...timing,
      };
    case "tcp":
      return { type: "tcp" as const, port: toNumber(form.healthPort), ...timing };
    case "command":
      return { type: "command" as const, command: argvOf(form.healthCommand), ...timing };
  }
}

/** The spec the form describes, before checking; blank rows are left out. */
export function specInputOf(form: TAppForm) {
  const kept = keptRows(form);

  return {
    name: form.name.trim(),
    image: form.image.trim(),
    command: argvOf(form.command),
    args: argvOf(form.args),
    env: variablesOf(form.envRows),
    secrets: variablesOf(form.secretRows),
    ports: kept.ports.map(portOf),
    volumes: kept.volumes.map(volumeOf),
    resources: {
      cpuRequestMillis: toNumber(form.cpuRequestMillis),
      cpuLimitMillis: toOptionalNumber(form.cpuLimitMillis),
      memoryRequestBytes: toNumber(form.memoryRequestMib) * MIB_BYTES,
      memoryLimitBytes: mibToBytes(toOptionalNumber(form.memoryLimitMib)),
    },
    replicas: toNumber(form.replicas),
    placement: {
      strategy: form.strategy,
      constraints: kept.constraints.map(constraintOf),
      maxPerNode: toOptionalNumber(form.maxPerNode),
      antiAffinity: splitList(form.antiAffinity, /[\s,]+/),
      spreadBy: toOptionalText(form.spreadBy),
    },
    healthCheck: healthCheckOf(form),
    restart: {
      maxRestarts: toNumber(form.maxRestarts),
      backoffInitialMs: toNumber(form.backoffInitialMs),
      backoffMaxMs: toNumber(form.backoffMaxMs),
    },
    update: {
      maxSurge: toNumber(form.maxSurge),
      maxUnavailable: toNumber(form.maxUnavailable),
      autoRollback: form.isAutoRollback,
    },
    lb: form.lbPolicy === "" ? undefined : { policy: form.lbPolicy },
  };
}

function mibToBytes(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * MIB_BYTES;
}

// ---------------------------------------------------------------------------------------------
// 4. Field errors
// ---------------------------------------------------------------------------------------------

/**
 * Errors keyed by where the form shows them. Single fields use the spec's path
 * (`healthCheck.timeoutMs`); a field of a list row uses the row's id instead of its index
 * (`ports:<rowId>:hostPort`); a whole list uses its path (`ports`). Env and secret rows are in
 * `envRows` / `secretRows`; what has no place is in `other`, with its path in front.
 */
export type TFormErrors = {
  fields: Record<string, string[]>;
  envRows: TRowErrors;
  secretRows: TRowErrors;
  other: string[];
};

/** The key of a list row's field in `TFormErrors.fields`. */
export function rowField(list: TListPath, rowId: string, field: string): string {
  return `${list}:${rowId}:${field}`;
}

type TListPath = "ports" | "volumes" | "placement.constraints";

/** Each list's row fields; the first one also shows errors about the row as a whole. */
const ROW_FIELDS: Record<TListPath, Record<string, string>> = {
  ports: {
    containerPort: "containerPort",
    protocol: "protocol",
    hostPort: "hostPort",
    name: "name",
  },
  volumes: {
    name: "source",
    hostPath: "source",
    kind: "kind",
    mountPath: "mountPath",
    readOnly: "readOnly",
  },
  "placement.constraints": { key: "key", operator: "operator", value: "value", values: "value" },
};

/** Single fields by spec path; an error on a path below one lands on it (`command.3`). */
const SINGLE_FIELDS = [
  "name",
  "image",
  "replicas",
  "command",
  "args",
  "resources.cpuRequestMillis",
  "resources.cpuLimitMillis",
  "resources.memoryRequestBytes",
  "resources.memoryLimitBytes",
  "placement.strategy",
  "placement.maxPerNode",
  "placement.spreadBy",
  "placement.antiAffinity",
  "healthCheck.type",
  "healthCheck.path",
  "healthCheck.port",
  "healthCheck.command",
  "healthCheck.intervalMs",
  "healthCheck.timeoutMs",
  "healthCheck.retries",
  "healthCheck.startPeriodMs",
  "update.maxSurge",
  "update.maxUnavailable",
  "update.autoRollback",
  "restart.maxRestarts",
  "restart.backoffInitialMs",
  "restart.backoffMaxMs",
  "lb.policy",
] as const;

export type TSingleField = (typeof SINGLE_FIELDS)[number];

/** Errors about a whole object (e.g. a health check of an unknown type) go on its first field. */
const OBJECT_FIELDS: Record<string, TSingleField> = {
  resources: "resources.cpuRequestMillis",
  placement: "placement.strategy",
  healthCheck: "healthCheck.type",
  update: "update.maxSurge",
  restart: "restart.maxRestarts",
  lb: "lb.policy",
};

function isUnder(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`);
}

function listPlace(form: TAppForm, path: string): string | undefined {
  const lists: [TListPath, readonly { rowId: string }[]][] = Object.entries(keptRows(form)).map(
    ([name, rows]) => [
      name === "constraints" ? "placement.constraints" : (name as TListPath),
      rows,
    ],
  );
  for (const [list, rows] of lists) {
    if (!isUnder(path, list)) {
      continue;
    }
    const [index, field] = path.slice(list.length + 1).split(".");
    const row = index !== undefined && /^\d+$/.test(index) ? rows[Number(index)] : undefined;
    if (!row) {
      return list;
    }
    const fields = ROW_FIELDS[list];
    const first = Object.values(fields)[0] ?? "";

    return rowField(list, row.rowId, (field && fields[field]) ?? first);
  }

  return undefined;
}

function singlePlace(path: string): string | undefined {
  const field = SINGLE_FIELDS.find((candidate) => isUnder(path, candidate));

  return field ?? OBJECT_FIELDS[path];
}

/** The row holding variable `name`, or undefined when no row has it (the message says so). */
function variableRow(rows: readonly TEnvRow[], name: string): string | undefined {
  return rows.find((row) => row.key.trim() === name)?.rowId;
}

/**
 * Places field errors (the form's own or the server's) on the form. The server's paths of
 * `app.update` start with `spec.`, which is dropped.
 */
export function formErrorsOf(errors: TFieldErrors, form: TAppForm): TFormErrors {
  const result: TFormErrors = { fields: {}, envRows: {}, secretRows: {}, other: [] };
  const addField = (key: string, messages: string[]) => {
    (result.fields[key] ??= []).push(...messages);
  };
  for (const [rawKey, messages] of Object.entries(errors)) {
    const key = rawKey.replace(/^spec\./, "");
    const [head, ...rest] = key.split(".");
    if (head === "env" || head === "secrets") {
      const name = rest.join(".");
      const rows = head === "env" ? form.envRows : form.secretRows;
      const rowId = name === "" ? undefined : variableRow(rows, name);
      if (rowId) {
        (result[head === "env" ? "envRows" : "secretRows"][rowId] ??= []).push(...messages);
      } else {
        addField(head, name === "" ? messages : messages.map((m) => `${name}: ${m}`));
      }
      continue;
    }
    const place = listPlace(form, key) ?? singlePlace(key);
    if (place) {
      addField(place, messages);
    } else {
      result.other.push(...messages.map((m) => `${key}: ${m}`));
    }
  }

  return result;
}

/** Whether any error has a place on the form, beside a field or a row. */
export function hasPlacedErrors(errors: TFormErrors): boolean {
  const counts = [errors.fields, errors.envRows, errors.secretRows].map((e) => Object.keys(e));

  return counts.some((keys) => keys.length > 0);
}

// ---------------------------------------------------------------------------------------------
// 5. Checking
// ---------------------------------------------------------------------------------------------

export type TAppFormCheck = { ok: true; spec: TAppSpec } | { ok: false; errors: TFieldErrors };

/** A variable name given twice, as an error on that name, or undefined. */
function duplicateNames(what: "env" | "secrets", rows: readonly TEnvRow[]): TFieldErrors {
  const keys = rows.map((row) => row.key.trim()).filter((key) => key !== "");
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);

  return duplicate === undefined ? {} : { [`${what}.${duplicate}`]: ["is set twice; keep one"] };
}

/** A row with a value but no name would be dropped silently; say so instead. */
function unnamedRows(what: "env" | "secrets", rows: readonly TEnvRow[]): TFieldErrors {
  const hasUnnamed = rows.some((row) => row.key.trim() === "" && row.value !== "");

  return hasUnnamed ? { [what]: ["a value needs a name; give one or remove the row"] } : {};
}

/** Checks the form with the server's schema; duplicate and unnamed variables are refused too. */
export function checkAppForm(form: TAppForm): TAppFormCheck {
  const rowErrors = {
    ...unnamedRows("env", form.envRows),
    ...duplicateNames("env", form.envRows),
    ...unnamedRows("secrets", form.secretRows),
    ...duplicateNames("secrets", form.secretRows),
  };
  if (Object.keys(rowErrors).length > 0) {
    return { ok: false, errors: rowErrors };
  }
  const parsed = ZAppSpec.safeParse(specInputOf(form));
  if (!parsed.success) {
    return { ok: false, errors: fieldErrorsFromZod(parsed.error) };
  }

  return { ok: true, spec: parsed.data };
}
