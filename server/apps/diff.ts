/**
 * What changed between two app specs, for people: a rollout preview, a revision's history.
 * Pure, so the server and the browser show the same lines.
 *
 * Paths read like the spec: `resources.memoryLimitBytes`, `env.LOG_LEVEL`. Lists whose items
 * have an identity are matched by it, not by position, so adding a port in front does not
 * show every other port as changed: `ports[80/tcp].hostPort`, `volumes[/data].readOnly`,
 * `placement.constraints[zone == eu]`. Their order carries no meaning, so a reordering alone
 * is no change. Argv lists (command, args) keep their order and are compared whole.
 *
 * Secrets are compared, but an entry about a secret holds the mask, never a value.
 */
import {
  NESTED_FIELD_ORDER,
  SECRET_MASK,
  SPEC_FIELD_ORDER,
  type TAppSpec,
  type TConstraint,
  type TPort,
  type TVolume,
  describeBytes,
  describeMillicores,
  describeMs,
} from "./spec";

export type TDiffKind = "added" | "removed" | "changed";

/** One difference; `before` is undefined for `added`, `after` for `removed`. */
export type TDiffEntry = { path: string; kind: TDiffKind; before: unknown; after: unknown };

type TObject = Record<string, unknown>;
type TIdentity = (item: unknown) => string;

/** Beyond this, a value in a diff line is cut short; the entry itself keeps all of it. */
const MAX_VALUE_CHARS = 120;
const NONE = "(none)";

function ranks(fields: readonly string[]): Map<string, number> {
  return new Map(fields.map((field, index) => [field, index]));
}

const TOP_RANK = ranks(SPEC_FIELD_ORDER);
const NESTED_RANK = ranks(NESTED_FIELD_ORDER);

/** Objects whose keys are names, not fields: shown in alphabetical order. */
const RECORD_PATHS = new Set(["env", "secrets"]);

/** The identity of items in lists whose order carries no meaning. */
const ITEM_IDENTITY: Record<string, TIdentity> = {
  ports: (item) => portIdentity(item as TPort),
  volumes: (item) => (item as TVolume).mountPath,
  "placement.constraints": (item) => describeConstraint(item as TConstraint),
};

function portIdentity(port: TPort): string {
  return `${port.containerPort}/${port.protocol}`;
}

/** `zone == eu`, `zone in (eu, us)`. */
export function describeConstraint(constraint: TConstraint): string {
  if (constraint.operator === "in") {
    return `${constraint.key} in (${constraint.values.join(", ")})`;
  }

  return `${constraint.key} ${constraint.operator} ${constraint.value}`;
}

// ---------------------------------------------------------------------------------------------
// 1. Comparing
// ---------------------------------------------------------------------------------------------

function isObject(value: unknown): value is TObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys whose value is not undefined: an optional field left out equals one set to undefined. */
function presentKeys(value: TObject): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

/** Deep equality of JSON-like values, which is all a spec holds. */
export function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => isEqual(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = presentKeys(a);

    return keys.length === presentKeys(b).length && keys.every((key) => isEqual(a[key], b[key]));
  }

  return false;
}

/** Spec fields in the spec's own order, unknown ones after them; names alphabetically. */
function orderedKeys(path: string, a: TObject, b: TObject): string[] {
  const keys = [...new Set([...presentKeys(a), ...presentKeys(b)])];
  // Alphabetical first; the sort below is stable, so equal ranks keep this order.
  keys.sort();
  if (RECORD_PATHS.has(path)) {
    return keys;
  }
  const order = path === "" ? TOP_RANK : NESTED_RANK;
  const rank = (key: string) => order.get(key) ?? order.size;

  return keys.sort((x, y) => rank(x) - rank(y));
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

// ---------------------------------------------------------------------------------------------
// 2. Walking the specs
// ---------------------------------------------------------------------------------------------

function diffValue(path: string, before: unknown, after: unknown, out: TDiffEntry[]) {
  if (path === "secrets") {
    diffSecrets(asStrings(before), asStrings(after), out);

    return;
  }
  if (isEqual(before, after)) {
    return;
  }
  if (before === undefined || after === undefined) {
    out.push({ path, kind: before === undefined ? "added" : "removed", before, after });

    return;
  }
  const identity = ITEM_IDENTITY[path];
  if (identity && Array.isArray(before) && Array.isArray(after)) {
    diffList(path, before, after, identity, out);

    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of orderedKeys(path, before, after)) {
      diffValue(join(path, key), before[key], after[key], out);
    }

    return;
  }
  out.push({ path, kind: "changed", before, after });
}

/** Items by identity, in list order; a repeated identity gets ` #2`, ` #3`, ... */
function byIdentity(items: readonly unknown[], identity: TIdentity): Map<string, unknown> {
  const keyed = new Map<string, unknown>();
  for (const item of items) {
    const key = identity(item);
    let unique = key;
    for (let n = 2; keyed.has(unique); n += 1) {
      unique = `${key} #${n}`;
    }
    keyed.set(unique, item);
  }

  return keyed;
}

/** Items of `before` in their order (changed or removed), then those new in `after`. */
function diffList(
  path: string,
  before: readonly unknown[],
  after: readonly unknown[],
  identity: TIdentity,
  out: TDiffEntry[],
) {
  const old = byIdentity(before, identity);
  const next = byIdentity(after, identity);
  for (const [key, item] of old) {
    diffValue(`${path}[${key}]`, item, next.get(key), out);
  }
  for (const [key, item] of next) {
    if (!old.has(key)) {
      diffValue(`${path}[${key}]`, undefined, item, out);
    }
  }
}

function asStrings(value: unknown): Record<string, string> {
  return isObject(value) ? (value as Record<string, string>) : {};
}

/** Which secrets were added, removed or changed; every value in the entries is the mask. */
function diffSecrets(
  before: Record<string, string>,
  after: Record<string, string>,
  out: TDiffEntry[],
) {
  const mask = (value: string | undefined) => (value === undefined ? undefined : SECRET_MASK);
  for (const name of orderedKeys("secrets", before, after)) {
    const [old, next] = [before[name], after[name]];
    if (old === next) {
      continue;
    }
    const masked = { before: mask(old), after: mask(next) };
    const kind: TDiffKind =
      old === undefined ? "added" : next === undefined ? "removed" : "changed";
    out.push({ path: `secrets.${name}`, kind, ...masked });
  }
}

/**
 * The differences from `a` to `b`, in the spec's field order: empty when they are the same
 * spec. Both specs are parsed ones; masked specs compare all their secrets as unchanged.
 */
export function diffSpecs(a: TAppSpec, b: TAppSpec): TDiffEntry[] {
  const out: TDiffEntry[] = [];
  diffValue("", a, b, out);

  return out;
}

// ---------------------------------------------------------------------------------------------
// 3. Lines for people
// ---------------------------------------------------------------------------------------------

function isSecretPath(path: string): boolean {
  return path.startsWith("secrets.");
}

/** The field a path ends in, which says how to show a number: bytes, CPU or a duration. */
function fieldOf(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}

function formatNumber(field: string, value: number): string {
  if (field.endsWith("Bytes")) {
    return describeBytes(value);
  }
  if (field.startsWith("cpu") && field.endsWith("Millis")) {
    return describeMillicores(value);
  }
  if (field.endsWith("Ms")) {
    return describeMs(value);
  }

  return String(value);
}

/** No space at either end, no quote, arrow or control character: safe to show unquoted. */
const PLAIN_STRING = /^[^\s"→]([^\p{Cc}"→]*[^\s"→])?$/u;

/** Strings as they are, unless they would read ambiguously: then quoted as JSON. */
function formatString(value: string): string {
  const isPlain = value !== NONE && PLAIN_STRING.test(value);

  return isPlain ? value : JSON.stringify(value);
}

function formatValue(field: string, value: unknown): string {
  if (value === undefined) {
    return NONE;
  }
  if (typeof value === "number") {
    return formatNumber(field, value);
  }
  if (typeof value === "string") {
    return formatString(value);
  }
  if (Array.isArray(value)) {
    // Items are quoted, so ["sh", "-c"] and ["sh -c"] read differently.
    const items = value.map((item) =>
      typeof item === "string" ? JSON.stringify(item) : formatValue(field, item),
    );

    return `[${items.join(", ")}]`;
  }
  if (isObject(value)) {
    const fields = orderedKeys(field, value, {}).map(
      (key) => `${key}: ${formatValue(key, value[key])}`,
    );

    return `{ ${fields.join(", ")} }`;
  }

  // Booleans and null; nothing else is in a spec.
  return JSON.stringify(value) ?? NONE;
}

function shorten(text: string): string {
  if (text.length <= MAX_VALUE_CHARS) {
    return text;
  }

  return `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} characters)`;
}

function formatEntry(entry: TDiffEntry): string {
  if (isSecretPath(entry.path)) {
    return `${entry.path}: ${entry.kind} (value hidden)`;
  }
  const field = fieldOf(entry.path);
  const before = shorten(formatValue(field, entry.before));
  const after = shorten(formatValue(field, entry.after));

  return `${entry.path}: ${before} → ${after}`;
}

/** One line per entry, e.g. `image: berth-demo/web:1 → berth-demo/web:2`. */
export function formatDiff(entries: readonly TDiffEntry[]): string[] {
  return entries.map(formatEntry);
}
