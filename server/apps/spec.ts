/**
 * The app specification: everything a user submits to deploy an app, and exactly what an
 * immutable revision snapshots. Pure (no database, no Docker), so forms, procedures and the
 * controller check a spec the same way.
 *
 * Every message says what is allowed, and every issue carries the path of the field it is
 * about, so the API's `fieldErrors` read e.g. `resources.memoryLimitBytes: must be at most
 * 4 TiB`. Objects are strict: a misspelt field (`replica: 3`) is refused, not ignored.
 *
 * Sections: 1 units and limits, 2 describing values, 3 building blocks, 4 image and argv,
 * 5 env and secrets, 6 ports and volumes, 7 resources, 8 placement, 9 health, restart, update
 * and load balancing, 10 the spec and its cross-field checks, 11 secrets masking and helpers.
 */
import { z } from "zod";

import { ZName } from "@/server/nodes/schema";

// ---------------------------------------------------------------------------------------------
// 1. Units and limits
// ---------------------------------------------------------------------------------------------

export const KIB_BYTES = 1024;
export const MIB_BYTES = 1024 * KIB_BYTES;
export const GIB_BYTES = 1024 * MIB_BYTES;
export const TIB_BYTES = 1024 * GIB_BYTES;
export const MILLIS_PER_CPU = 1000;
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** Docker's own limit on a reference's length. */
export const MAX_IMAGE_CHARS = 255;
export const MAX_ARGS = 64;
export const MAX_ARG_CHARS = 4096;

// Env and secrets both end up in the container's environment, which execve caps at about
// 2 MiB in all; these limits keep env + secrets + argv well under that.
export const MAX_ENV_ENTRIES = 128;
export const MAX_ENV_NAME_CHARS = 128;
export const MAX_ENV_VALUE_BYTES = 32 * KIB_BYTES;
export const MAX_ENV_TOTAL_BYTES = 256 * KIB_BYTES;
export const MAX_SECRETS = 128;
export const MAX_SECRET_VALUE_BYTES = 64 * KIB_BYTES;
export const MAX_SECRETS_TOTAL_BYTES = 512 * KIB_BYTES;

export const MAX_PORTS = 64;
export const MIN_PORT = 1;
export const MAX_PORT = 65_535;
export const MAX_VOLUMES = 64;
export const MAX_PATH_CHARS = 1024;
export const MAX_HTTP_PATH_CHARS = 2048;

export const MIN_CPU_REQUEST_MILLIS = 1;
/**
 * Docker turns a CPU limit into a CFS quota per 100 ms period, and the kernel refuses a quota
 * under 1 ms: a limit below 0.01 CPU could never start.
 */
export const MIN_CPU_LIMIT_MILLIS = 10;
export const MAX_CPU_MILLIS = 1_024_000;
export const MIN_MEMORY_REQUEST_BYTES = 4 * MIB_BYTES;
/** Docker refuses memory limits under 6 MiB (`linuxMinMemory`), so Berth does too. */
export const MIN_MEMORY_LIMIT_BYTES = 6 * MIB_BYTES;
export const MAX_MEMORY_BYTES = 4 * TIB_BYTES;
export const DEFAULT_CPU_REQUEST_MILLIS = 100;
export const DEFAULT_MEMORY_REQUEST_BYTES = 128 * MIB_BYTES;

export const MAX_REPLICAS = 1000;
export const DEFAULT_REPLICAS = 1;

export const MAX_CONSTRAINTS = 32;
export const MAX_CONSTRAINT_VALUES = 64;
export const MAX_ANTI_AFFINITY = 32;
/** Node label rules, as in `server/nodes/schema.ts` (which does not export its key schema). */
export const MAX_LABEL_KEY_CHARS = 63;
export const MAX_LABEL_VALUE_CHARS = 256;

export const MIN_HEALTH_INTERVAL_MS = SECOND_MS;
export const MAX_HEALTH_INTERVAL_MS = HOUR_MS;
export const MIN_HEALTH_TIMEOUT_MS = 100;
export const MAX_HEALTH_START_PERIOD_MS = HOUR_MS;
export const MAX_HEALTH_RETRIES = 10;
export const DEFAULT_HEALTH_INTERVAL_MS = 10 * SECOND_MS;
export const DEFAULT_HEALTH_TIMEOUT_MS = 2 * SECOND_MS;
export const DEFAULT_HEALTH_RETRIES = 3;

export const MAX_RESTARTS = 1000;
export const MIN_BACKOFF_MS = 100;
export const MAX_BACKOFF_MS = HOUR_MS;
export const DEFAULT_MAX_RESTARTS = 10;
export const DEFAULT_BACKOFF_INITIAL_MS = SECOND_MS;
export const DEFAULT_BACKOFF_MAX_MS = 5 * MINUTE_MS;

export const MAX_UPDATE_STEP = MAX_REPLICAS;
export const DEFAULT_MAX_SURGE = 1;
export const DEFAULT_MAX_UNAVAILABLE = 0;

export const PLACEMENT_STRATEGIES = ["binpack", "spread"] as const;
export const CONSTRAINT_OPERATORS = ["==", "!=", "in"] as const;
export const PROTOCOLS = ["tcp", "udp"] as const;
export const HEALTH_CHECK_TYPES = ["http", "tcp", "command"] as const;
export const LB_POLICIES = [
  "round-robin",
  "weighted",
  "random",
  "least-connections",
  "p2c",
  "consistent-hash",
] as const;

export const LB_MODES = ["http", "tcp"] as const;
export const LB_HASH_SOURCES = ["header", "cookie", "client-address"] as const;
export const MAX_LB_WEIGHT = 1000;
export const MAX_LB_KEY_NAME_CHARS = 128;
export const DEFAULT_LB_DRAIN_TIMEOUT_SECONDS = 30;
export const MAX_LB_DRAIN_TIMEOUT_SECONDS = 3600;

/** What viewers see in place of every secret value. */
export const SECRET_MASK = "••••••••";

// ---------------------------------------------------------------------------------------------
// 2. Describing values in messages and diffs
// ---------------------------------------------------------------------------------------------

const BYTE_UNITS = [
  { name: "TiB", size: TIB_BYTES },
  { name: "GiB", size: GIB_BYTES },
  { name: "MiB", size: MIB_BYTES },
  { name: "KiB", size: KIB_BYTES },
] as const;

/**
 * Bytes in the largest unit that holds them exactly (`4 TiB`, `1000000000 MiB`); otherwise
 * the exact count with an approximation (`5000000 B (about 4.8 MiB)`), so two different sizes
 * never read the same.
 */
export function describeBytes(bytes: number): string {
  const exact = BYTE_UNITS.find((unit) => bytes >= unit.size && bytes % unit.size === 0);
  if (exact) {
    return `${bytes / exact.size} ${exact.name}`;
  }
  const near = BYTE_UNITS.find((unit) => bytes >= unit.size);
  if (!near) {
    return `${bytes} B`;
  }

  return `${bytes} B (about ${(bytes / near.size).toFixed(1)} ${near.name})`;
}

/** Milliseconds in the largest unit that holds them exactly: `1 h`, `90 s`, `1500 ms`. */
export function describeMs(ms: number): string {
  if (ms > 0 && ms % HOUR_MS === 0) {
    return `${ms / HOUR_MS} h`;
  }
  if (ms > 0 && ms % MINUTE_MS === 0) {
    return `${ms / MINUTE_MS} min`;
  }
  if (ms > 0 && ms % SECOND_MS === 0) {
    return `${ms / SECOND_MS} s`;
  }

  return `${ms} ms`;
}

/** Millicores as CPUs, exactly: 500 → `0.5 CPU`, 2000 → `2 CPUs`. */
export function describeMillicores(millis: number): string {
  const cpus = millis / MILLIS_PER_CPU;

  return `${cpus} ${cpus > 1 ? "CPUs" : "CPU"}`;
}

/** UTF-8 length without Buffer, so the schema also runs in the browser's forms. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}

// ---------------------------------------------------------------------------------------------
// 3. Building blocks
// ---------------------------------------------------------------------------------------------

/**
 * A strict object whose own messages list what is allowed: an unknown field is named with the
 * fields that exist, and a non-object is refused as such.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(", ");

  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        const noun = issue.keys.length > 1 ? "fields" : "field";

        return `unknown ${noun} ${quoteList(issue.keys)}; allowed: ${allowed}`;
      }
      if (issue.code === "invalid_type") {
        return `must be an object with the fields ${allowed}`;
      }

      return undefined;
    },
  });
}

/** A whole number in [min, max]; every failure gives the same message, which names the range. */
function integer(
  min: number,
  max: number,
  message = `must be a whole number from ${min} to ${max}`,
) {
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** A duration in whole milliseconds, described in people's units. */
function milliseconds(min: number, max: number) {
  const range = `from ${min} (${describeMs(min)}) to ${max} (${describeMs(max)})`;
  const message = `must be a whole number of milliseconds ${range}`;

  return integer(min, max, message);
}

const ZPortNumber = integer(
  MIN_PORT,
  MAX_PORT,
  `must be a port number from ${MIN_PORT} to ${MAX_PORT}`,
);

/** A short name in the manner of node and app names, for ports and named volumes. */
const ZShortName = z
  .string({ error: "must be text" })
  .max(63, "must be at most 63 characters")
  .regex(
    /^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$/,
    "use lowercase letters, digits and . _ -, starting and ending with a letter or digit",
  );

const ZLabelKey = z
  .string({ error: "must be text" })
  .max(MAX_LABEL_KEY_CHARS, `label keys must be at most ${MAX_LABEL_KEY_CHARS} characters`)
  .regex(
    /^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$/,
    "label keys use lowercase letters, digits and . _ / -",
  );

const ZLabelValue = z
  .string({ error: "must be text" })
  .max(MAX_LABEL_VALUE_CHARS, `label values must be at most ${MAX_LABEL_VALUE_CHARS} characters`)
  .regex(/^[^\p{Cc}]*$/u, "label values cannot contain control characters");

/** `ZName`, with a message that says what a name is when none is given. */
const ZAppName = z
  .string({ error: "is required: lowercase letters, digits and '-', e.g. web" })
  .pipe(ZName);

function hasNul(text: string): boolean {
  return text.includes("\u0000");
}

// ---------------------------------------------------------------------------------------------
// 4. Image and argv
// ---------------------------------------------------------------------------------------------

// The grammar of Docker's reference parser (distribution/reference), written out in parts.
// A registry host is a DNS name, IPv4 or bracketed IPv6, with an optional port.
const HOST_COMPONENT = String.raw`[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?`;
const HOST = String.raw`(?:${HOST_COMPONENT}(?:\.${HOST_COMPONENT})*|\[[0-9A-Fa-f:.]+\])`;
const REGISTRY = String.raw`${HOST}(?::[0-9]{1,5})?`;
// Repository path components are lowercase; separators are . _ __ or runs of -.
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const TAG = String.raw`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`;
const DIGEST = String.raw`sha256:[a-f0-9]{64}`;
const REPOSITORY = `(?:${REGISTRY}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const IMAGE_REFERENCE = new RegExp(`^${REPOSITORY}(?::${TAG})?(?:@${DIGEST})?$`);
const IMAGE_CHARS = /^[A-Za-z0-9._:/@[\]-]*$/;
const IMAGE_EXAMPLES = "e.g. nginx:1.27, ghcr.io/acme/web:1.4 or web@sha256:<64 hex digits>";

/** Why `reference` is not an image reference Docker accepts, or undefined when it is one. */
export function imageProblem(reference: string): string | undefined {
  if (reference === "") {
    return `is required, ${IMAGE_EXAMPLES}`;
  }
  if (reference.length > MAX_IMAGE_CHARS) {
    return `must be at most ${MAX_IMAGE_CHARS} characters`;
  }
  if (!IMAGE_CHARS.test(reference)) {
    return "use letters, digits and . _ - / : @ only: no spaces or shell characters such as ; | $";
  }
  if (IMAGE_REFERENCE.test(reference)) {
    return undefined;
  }

  return grammarProblem(reference);
}

function grammarProblem(reference: string): string {
  const at = reference.indexOf("@");
  if (at >= 0 && !new RegExp(`^${DIGEST}$`).test(reference.slice(at + 1))) {
    return "a digest must be @sha256: followed by 64 lowercase hex digits";
  }
  if (IMAGE_REFERENCE.test(reference.toLowerCase())) {
    return "repository names must be lowercase";
  }

  return `must be an image reference, ${IMAGE_EXAMPLES}`;
}

const ZImage = z
  .string({ error: `must be an image reference, ${IMAGE_EXAMPLES}` })
  .trim()
  .superRefine((reference, ctx) => {
    const problem = imageProblem(reference);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
    }
  });

/**
 * An argv array. Docker receives it as an array and runs it with execve, never through a
 * shell, so quotes and `;` are ordinary characters; a NUL byte cannot cross execve.
 */
function argv(what: string) {
  const item = z
    .string({ error: `each item of ${what} must be text` })
    .max(MAX_ARG_CHARS, `each item of ${what} must be at most ${MAX_ARG_CHARS} characters`)
    .refine((arg) => !hasNul(arg), "cannot contain a NUL character");

  return z
    .array(item, { error: `must be a list of strings, e.g. ["node", "server.js"]` })
    .max(MAX_ARGS, `at most ${MAX_ARGS} items`);
}

// ---------------------------------------------------------------------------------------------
// 5. Env and secrets
// ---------------------------------------------------------------------------------------------

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME_RULE = "use letters, digits and _, not starting with a digit";

type TVariableLimits = {
  what: "env" | "secrets";
  maxEntries: number;
  maxValueBytes: number;
  maxTotalBytes: number;
};

/**
 * NAME → value, checked for names, sizes and the total. Messages never quote a value: for
 * secrets they end up in logs and on screen.
 */
function variables(limits: TVariableLimits) {
  const name = z.string().max(MAX_ENV_NAME_CHARS).regex(ENV_NAME);
  const value = z
    .string({ error: "must be text" })
    .refine((text) => !hasNul(text), "cannot contain a NUL character");

  return z
    .record(name, value, {
      error: (issue) => {
        if (issue.code === "invalid_key") {
          // The name is already in the issue's path; a message need not repeat it.
          return `is not a valid name: ${ENV_NAME_RULE}; at most ${MAX_ENV_NAME_CHARS} characters`;
        }
        if (issue.code === "invalid_type") {
          return `must be an object of NAME: "value" pairs`;
        }

        return undefined;
      },
    })
    .superRefine((record, ctx) => checkVariableSizes(record, limits, ctx));
}

function checkVariableSizes(
  record: Record<string, string>,
  limits: TVariableLimits,
  ctx: z.RefinementCtx,
) {
  const entries = Object.entries(record);
  if (entries.length > limits.maxEntries) {
    const message = `at most ${limits.maxEntries} ${limits.what} entries (got ${entries.length})`;
    ctx.addIssue({ code: "custom", message });
  }
  let total = 0;
  for (const [name, value] of entries) {
    const bytes = utf8Bytes(value);
    // Docker passes each as NAME=value, so the name and the "=" count towards the total.
    total += utf8Bytes(name) + 1 + bytes;
    if (bytes > limits.maxValueBytes) {
      const limit = describeBytes(limits.maxValueBytes);
      const message = `must be at most ${limit} (got ${describeBytes(bytes)})`;
      ctx.addIssue({ code: "custom", path: [name], message });
    }
  }
  if (total > limits.maxTotalBytes) {
    const limit = describeBytes(limits.maxTotalBytes);
    const allowed = `at most ${limit} (got ${describeBytes(total)})`;
    const message = `${limits.what} must total ${allowed}; put large data in a volume`;
    ctx.addIssue({ code: "custom", message });
  }
}

const ZEnv = variables({
  what: "env",
  maxEntries: MAX_ENV_ENTRIES,
  maxValueBytes: MAX_ENV_VALUE_BYTES,
  maxTotalBytes: MAX_ENV_TOTAL_BYTES,
});

const ZSecrets = variables({
  what: "secrets",
  maxEntries: MAX_SECRETS,
  maxValueBytes: MAX_SECRET_VALUE_BYTES,
  maxTotalBytes: MAX_SECRETS_TOTAL_BYTES,
});

// ---------------------------------------------------------------------------------------------
// 6. Ports and volumes
// ---------------------------------------------------------------------------------------------

const ZProtocol = z.enum(PROTOCOLS, { error: `must be one of ${quoteList(PROTOCOLS)}` });

const portShape = {
  containerPort: ZPortNumber,
  protocol: ZProtocol.default("tcp"),
  /** Published on the node's address; leave it out for ports reached only through the gateway. */
  hostPort: ZPortNumber.optional(),
  name: ZShortName.optional(),
};

const ZPort = strictObject(portShape);

// Letters, digits and . _ - + @ = only: no spaces, no ':' (Docker's bind syntax separator),
// nothing a path could be reinterpreted through.
const PATH_CHARS = /^[A-Za-z0-9._@+=/-]*$/;

/** Why `path` is not a clean absolute path, or undefined when it is one. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith("/")) {
    return "must be an absolute path, starting with /";
  }
  if (path.length > MAX_PATH_CHARS) {
    return `must be at most ${MAX_PATH_CHARS} characters`;
  }
  if (!PATH_CHARS.test(path)) {
    return "use letters, digits, / and . _ - + @ = only";
  }
  if (path === "/") {
    return undefined;
  }
  const segments = path.slice(1).split("/");
  if (segments.includes("..")) {
    return "cannot contain '..'; give the path itself";
  }
  if (segments.some((segment) => segment === "" || segment === ".")) {
    return "write the path plainly: no '//', no '.' segment, no trailing '/'";
  }

  return undefined;
}

function absolutePath() {
  return z
    .string({ error: "must be an absolute path, starting with /" })
    .superRefine((path, ctx) => {
      const problem = pathProblem(path);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
      }
    });
}

const ZMountPath = absolutePath().refine(
  (path) => path !== "/",
  "cannot be /: a volume cannot replace the container's root",
);

const namedVolumeShape = {
  kind: z.literal("volume").default("volume"),
  /** A Docker named volume, created on the node on first use. */
  name: ZShortName,
  mountPath: ZMountPath,
  readOnly: z.boolean({ error: "must be true or false" }).default(false),
};

const bindMountShape = {
  /** A host directory: gives the container the node's files, so only admins may ask for it. */
  kind: z.literal("bind"),
  hostPath: absolutePath(),
  mountPath: ZMountPath,
  readOnly: z.boolean({ error: "must be true or false" }).default(false),
};

const ZVolume = z.discriminatedUnion(
  "kind",
  [strictObject(namedVolumeShape), strictObject(bindMountShape)],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `kind must be "volume" (a named volume, the default) or "bind" (a host path, admins only)`
        : undefined,
  },
);

// ---------------------------------------------------------------------------------------------
// 7. Resources
// ---------------------------------------------------------------------------------------------

function millicores(min: number) {
  const cpus = `${describeMillicores(min)} to ${describeMillicores(MAX_CPU_MILLIS)}`;
  const range = `from ${min} to ${MAX_CPU_MILLIS} millicores (${cpus})`;

  return integer(min, MAX_CPU_MILLIS, `must be a whole number of millicores ${range}`);
}

function memoryBytes(min: number) {
  const range = `from ${describeBytes(min)} to ${describeBytes(MAX_MEMORY_BYTES)}`;
  const tooBig = (input: unknown) =>
    `must be at most ${describeBytes(MAX_MEMORY_BYTES)} (got ${describeBytes(Number(input))})`;
  const tooSmall = (input: unknown) =>
    `must be at least ${describeBytes(min)} (got ${describeBytes(Number(input))})`;

  return z
    .number({ error: `must be a whole number of bytes ${range}` })
    .int(`must be a whole number of bytes ${range}`)
    .min(min, { error: (issue) => tooSmall(issue.input) })
    .max(MAX_MEMORY_BYTES, { error: (issue) => tooBig(issue.input) });
}

const resourcesShape = {
  /** Reserved on the node by the scheduler; also sets the container's CPU shares (1024/CPU). */
  cpuRequestMillis: millicores(MIN_CPU_REQUEST_MILLIS).default(DEFAULT_CPU_REQUEST_MILLIS),
  /** A hard cap enforced by the kernel; left out, the container may use idle CPU. */
  cpuLimitMillis: millicores(MIN_CPU_LIMIT_MILLIS).optional(),
  memoryRequestBytes: memoryBytes(MIN_MEMORY_REQUEST_BYTES).default(DEFAULT_MEMORY_REQUEST_BYTES),
  /** Above this the kernel kills the container; left out, no memory limit. */
  memoryLimitBytes: memoryBytes(MIN_MEMORY_LIMIT_BYTES).optional(),
};

const ZResourcesFields = strictObject(resourcesShape);
type TResources = z.output<typeof ZResourcesFields>;

/** A limit below its request could never be honoured: the scheduler would reserve more. */
function checkLimits(resources: TResources, ctx: z.RefinementCtx) {
  const { cpuRequestMillis, cpuLimitMillis, memoryRequestBytes, memoryLimitBytes } = resources;
  if (cpuLimitMillis !== undefined && cpuLimitMillis < cpuRequestMillis) {
    const request = `${cpuRequestMillis}, ${describeMillicores(cpuRequestMillis)}`;
    const message = `must be at least cpuRequestMillis (${request})`;
    ctx.addIssue({ code: "custom", path: ["cpuLimitMillis"], message });
  }
  if (memoryLimitBytes !== undefined && memoryLimitBytes < memoryRequestBytes) {
    const message = `must be at least memoryRequestBytes (${describeBytes(memoryRequestBytes)})`;
    ctx.addIssue({ code: "custom", path: ["memoryLimitBytes"], message });
  }
}

const ZResources = ZResourcesFields.superRefine(checkLimits);

// ---------------------------------------------------------------------------------------------
// 8. Placement
// ---------------------------------------------------------------------------------------------

const ZConstraint = z.discriminatedUnion(
  "operator",
  [
    strictObject({
      key: ZLabelKey,
      operator: z.enum(["==", "!="]),
      value: ZLabelValue,
    }),
    strictObject({
      key: ZLabelKey,
      operator: z.literal("in"),
      values: z
        .array(ZLabelValue, { error: `must be a list of label values, e.g. ["eu", "us"]` })
        .min(1, "list at least one value")
        .max(MAX_CONSTRAINT_VALUES, `at most ${MAX_CONSTRAINT_VALUES} values`),
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `operator must be one of ${quoteList(CONSTRAINT_OPERATORS)}; "in" takes values: [...]`
        : undefined,
  },
);

const placementShape = {
  /** `binpack` fills nodes before opening new ones; `spread` keeps load even. */
  strategy: z
    .enum(PLACEMENT_STRATEGIES, { error: `must be one of ${quoteList(PLACEMENT_STRATEGIES)}` })
    .default("spread"),
  constraints: z
    .array(ZConstraint)
    .max(MAX_CONSTRAINTS, `at most ${MAX_CONSTRAINTS} constraints`)
    .default([]),
  maxPerNode: integer(1, MAX_REPLICAS).optional(),
  /** Apps (by name) whose replicas must never share a node with this app's. */
  antiAffinity: z
    .array(ZAppName)
    .max(MAX_ANTI_AFFINITY, `at most ${MAX_ANTI_AFFINITY} apps`)
    .default([]),
  /** A node label, e.g. `zone`, whose values the replicas are spread across. */
  spreadBy: ZLabelKey.optional(),
};

const ZPlacement = strictObject(placementShape);

// ---------------------------------------------------------------------------------------------
// 9. Health check, restart, update, load balancing
// ---------------------------------------------------------------------------------------------

const healthTimingShape = {
  intervalMs: milliseconds(MIN_HEALTH_INTERVAL_MS, MAX_HEALTH_INTERVAL_MS).default(
    DEFAULT_HEALTH_INTERVAL_MS,
  ),
  /** Shorter than the interval, so checks never overlap. */
  timeoutMs: milliseconds(MIN_HEALTH_TIMEOUT_MS, MAX_HEALTH_INTERVAL_MS - 1).default(
    DEFAULT_HEALTH_TIMEOUT_MS,
  ),
  /** Failures in a row before a replica counts as unhealthy. */
  retries: integer(1, MAX_HEALTH_RETRIES).default(DEFAULT_HEALTH_RETRIES),
  /** Failures during this time after start do not count: slow starters get to warm up. */
  startPeriodMs: milliseconds(0, MAX_HEALTH_START_PERIOD_MS).default(0),
};

const ZHttpPath = z
  .string({ error: "must be a path starting with /, e.g. /healthz" })
  .max(MAX_HTTP_PATH_CHARS, `must be at most ${MAX_HTTP_PATH_CHARS} characters`)
  .regex(/^\/[\x21-\x7E]*$/, "must start with / and hold no spaces, e.g. /healthz");

const ZHealthCheck = z
  .discriminatedUnion(
    "type",
    [
      strictObject({
        type: z.literal("http"),
        path: ZHttpPath,
        port: ZPortNumber,
        ...healthTimingShape,
      }),
      strictObject({ type: z.literal("tcp"), port: ZPortNumber, ...healthTimingShape }),
      // Run inside the container as an argv array (Docker's CMD form), never through a shell.
      strictObject({
        type: z.literal("command"),
        command: argv("command").min(1, `give the program to run, e.g. ["pg_isready"]`),
        ...healthTimingShape,
      }),
    ],
    {
      error: (issue) =>
        issue.code === "invalid_union"
          ? `type must be one of ${quoteList(HEALTH_CHECK_TYPES)}`
          : undefined,
    },
  )
  .superRefine((check, ctx) => {
    if (check.timeoutMs >= check.intervalMs) {
      const message = `must be shorter than intervalMs (${describeMs(check.intervalMs)})`;
      ctx.addIssue({ code: "custom", path: ["timeoutMs"], message });
    }
  });

const restartShape = {
  /** Crashes in a row that Berth restarts in place before it marks the replica failed. */
  maxRestarts: integer(0, MAX_RESTARTS).default(DEFAULT_MAX_RESTARTS),
  /** The first wait after a crash; each further crash doubles it, up to backoffMaxMs. */
  backoffInitialMs: milliseconds(MIN_BACKOFF_MS, MAX_BACKOFF_MS).default(
    DEFAULT_BACKOFF_INITIAL_MS,
  ),
  backoffMaxMs: milliseconds(MIN_BACKOFF_MS, MAX_BACKOFF_MS).default(DEFAULT_BACKOFF_MAX_MS),
};

/** Berth's own crash-loop backoff: Docker's restart policy stays off, because Berth heals. */
const ZRestart = strictObject(restartShape).superRefine((restart, ctx) => {
  if (restart.backoffMaxMs < restart.backoffInitialMs) {
    const message = `must be at least backoffInitialMs (${describeMs(restart.backoffInitialMs)})`;
    ctx.addIssue({ code: "custom", path: ["backoffMaxMs"], message });
  }
});

const updateShape = {
  /** Replicas that may run above the desired count during a rolling update. */
  maxSurge: integer(0, MAX_UPDATE_STEP).default(DEFAULT_MAX_SURGE),
  /** Replicas that may be missing below the desired count during a rolling update. */
  maxUnavailable: integer(0, MAX_UPDATE_STEP).default(DEFAULT_MAX_UNAVAILABLE),
  /** Go back to the previous revision when new replicas fail their health checks. */
  autoRollback: z.boolean({ error: "must be true or false" }).default(true),
};

const ZUpdate = strictObject(updateShape).superRefine((update, ctx) => {
  if (update.maxSurge === 0 && update.maxUnavailable === 0) {
    const message =
      "maxSurge and maxUnavailable cannot both be 0: an update could not replace any replica";
    ctx.addIssue({ code: "custom", path: ["maxUnavailable"], message });
  }
});

const ZHeaderName = z
  .string({ error: "must be a header name, e.g. x-user-id" })
  .max(MAX_LB_KEY_NAME_CHARS, `must be at most ${MAX_LB_KEY_NAME_CHARS} characters`)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a header name, e.g. x-user-id");

const ZCookieName = z
  .string({ error: "must be a cookie name, e.g. session" })
  .max(MAX_LB_KEY_NAME_CHARS, `must be at most ${MAX_LB_KEY_NAME_CHARS} characters`)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "must be a cookie name, e.g. session");

/** What consistent hashing hashes: one header, one cookie, or the client's address. */
const ZHashKey = z.discriminatedUnion(
  "source",
  [
    strictObject({ source: z.literal("header"), name: ZHeaderName }),
    strictObject({ source: z.literal("cookie"), name: ZCookieName }),
    strictObject({ source: z.literal("client-address") }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `source must be one of ${quoteList(LB_HASH_SOURCES)}; header and cookie take a name`
        : undefined,
  },
);

const lbShape = {
  policy: z
    .enum(LB_POLICIES, { error: `must be one of ${quoteList(LB_POLICIES)}` })
    .default("round-robin"),
  /** http proxies requests (keep-alive, WebSocket upgrades); tcp forwards bytes only. */
  mode: z.enum(LB_MODES, { error: `must be one of ${quoteList(LB_MODES)}` }).optional(),
  /** The gateway's port for the app; left out, one is allocated from BERTH_GATEWAY_PORTS. */
  servicePort: ZPortNumber.optional(),
  /** For `weighted`: the weight of each replica slot (slot 0 first); missing slots weigh 1. */
  weights: z
    .array(
      integer(0, MAX_LB_WEIGHT, `each weight must be a whole number from 0 to ${MAX_LB_WEIGHT}`),
    )
    .max(MAX_REPLICAS, `at most ${MAX_REPLICAS} weights, one per replica slot`)
    .optional(),
  /** For `weighted`: weigh each replica by its node's CPUs instead of by slot. */
  weightByNodeCapacity: z.boolean({ error: "must be true or false" }).optional(),
  /** For `consistent-hash`: what to hash; left out, the client's address. */
  hashKey: ZHashKey.optional(),
  /**
   * How long a replica being removed (scale-down, update, delete) may take to finish what
   * the gateways have in flight to it before its container stops; left out, 30 s.
   */
  drainTimeoutSeconds: integer(
    0,
    MAX_LB_DRAIN_TIMEOUT_SECONDS,
    `must be a whole number of seconds from 0 to ${MAX_LB_DRAIN_TIMEOUT_SECONDS}`,
  ).optional(),
};

const ZLbFields = strictObject(lbShape);
type TLbFields = z.output<typeof ZLbFields>;

/** Settings that only one policy reads are refused with the others, so none is silently idle. */
function checkLoadBalancing(lb: TLbFields, ctx: z.RefinementCtx) {
  const isWeighted = lb.policy === "weighted";
  if (lb.weights !== undefined && !isWeighted) {
    const message = `weights apply to the "weighted" policy only (policy is "${lb.policy}")`;
    ctx.addIssue({ code: "custom", path: ["weights"], message });
  }
  if (lb.weightByNodeCapacity === true && !isWeighted) {
    const message = `weightByNodeCapacity applies to the "weighted" policy only`;
    ctx.addIssue({ code: "custom", path: ["weightByNodeCapacity"], message });
  }
  if (lb.weightByNodeCapacity === true && lb.weights !== undefined) {
    const message = "give weights or weightByNodeCapacity: true, not both";
    ctx.addIssue({ code: "custom", path: ["weightByNodeCapacity"], message });
  }
  if (lb.weights?.length && lb.weights.every((weight) => weight === 0)) {
    const message = "at least one weight must be above 0, or no replica would get traffic";
    ctx.addIssue({ code: "custom", path: ["weights"], message });
  }
  if (lb.hashKey !== undefined && lb.policy !== "consistent-hash") {
    const message = `hashKey applies to the "consistent-hash" policy only`;
    ctx.addIssue({ code: "custom", path: ["hashKey"], message });
  }
  if (lb.mode === "tcp" && lb.hashKey !== undefined && lb.hashKey.source !== "client-address") {
    const message = "in tcp mode there are no headers or cookies: hash the client-address";
    ctx.addIssue({ code: "custom", path: ["hashKey", "source"], message });
  }
}

/** How the gateway picks a replica; an app without `lb` gets round-robin over http. */
const ZLoadBalancing = ZLbFields.superRefine(checkLoadBalancing);

// ---------------------------------------------------------------------------------------------
// 10. The spec and its cross-field checks
// ---------------------------------------------------------------------------------------------

const appSpecShape = {
  name: ZAppName,
  image: ZImage,
  /** Replaces the image's ENTRYPOINT; empty keeps the image's own. */
  command: argv("command").default([]),
  /** Replaces the image's CMD; empty keeps the image's own. */
  args: argv("args").default([]),
  env: ZEnv.default({}),
  /** Sealed at rest, given to the container as env, never returned to viewers. */
  secrets: ZSecrets.default({}),
  ports: z.array(ZPort).max(MAX_PORTS, `at most ${MAX_PORTS} ports`).default([]),
  volumes: z.array(ZVolume).max(MAX_VOLUMES, `at most ${MAX_VOLUMES} volumes`).default([]),
  resources: ZResources.prefault({}),
  replicas: integer(
    0,
    MAX_REPLICAS,
    `must be a whole number from 0 to ${MAX_REPLICAS} (0 stops the app)`,
  ).default(DEFAULT_REPLICAS),
  placement: ZPlacement.prefault({}),
  healthCheck: ZHealthCheck.optional(),
  restart: ZRestart.prefault({}),
  update: ZUpdate.prefault({}),
  lb: ZLoadBalancing.optional(),
};

/** The spec's fields in the order people read them (diffs, forms). */
export const SPEC_FIELD_ORDER: readonly string[] = Object.keys(appSpecShape);

/**
 * Fields of the nested objects in reading order, for the same uses: what an item is (`kind`,
 * `type`) first, then what identifies it, then its settings.
 */
export const NESTED_FIELD_ORDER: readonly string[] = [
  ...new Set([
    "kind",
    "type",
    ...Object.keys(portShape),
    "hostPath",
    ...Object.keys(namedVolumeShape),
    "path",
    "port",
    "command",
    ...Object.keys(healthTimingShape),
    ...Object.keys(resourcesShape),
    ...Object.keys(placementShape),
    "key",
    "operator",
    "value",
    "values",
    ...Object.keys(restartShape),
    ...Object.keys(updateShape),
    ...Object.keys(lbShape),
    "source",
  ]),
];

const ZAppSpecFields = strictObject(appSpecShape);
type TSpecFields = z.output<typeof ZAppSpecFields>;
type TIssue = { path: (string | number)[]; message: string };

type TPortClaim = { field: "containerPort" | "hostPort" | "name"; key: string; taken: string };

/** What each port claims; two ports may not claim the same thing. */
function portClaims(port: TSpecFields["ports"][number]): TPortClaim[] {
  const { containerPort, protocol, hostPort, name } = port;
  const claims: TPortClaim[] = [
    { field: "containerPort", key: `c ${containerPort}/${protocol}`, taken: "is already declared" },
  ];
  if (hostPort !== undefined) {
    const taken = `host port ${hostPort}/${protocol} is already published`;
    claims.push({ field: "hostPort", key: `h ${hostPort}/${protocol}`, taken });
  }
  if (name !== undefined) {
    claims.push({ field: "name", key: `n ${name}`, taken: `the name ${name} is already used` });
  }

  return claims;
}

/** No two ports may share (containerPort, protocol), a host port per protocol, or a name. */
function portIssues(ports: TSpecFields["ports"]): TIssue[] {
  const firstByKey = new Map<string, number>();
  const issues: TIssue[] = [];
  ports.forEach((port, index) => {
    for (const claim of portClaims(port)) {
      const first = firstByKey.get(claim.key);
      if (first === undefined) {
        firstByKey.set(claim.key, index);
        continue;
      }
      const taken =
        claim.field === "containerPort"
          ? `${port.containerPort}/${port.protocol} ${claim.taken}`
          : claim.taken;
      issues.push({ path: ["ports", index, claim.field], message: `${taken} by ports.${first}` });
    }
  });

  return issues;
}

/** Docker refuses two mounts on one path. */
function volumeIssues(volumes: TSpecFields["volumes"]): TIssue[] {
  const firstByPath = new Map<string, number>();
  const issues: TIssue[] = [];
  volumes.forEach((volume, index) => {
    const first = firstByPath.get(volume.mountPath);
    if (first !== undefined) {
      const message = `${volume.mountPath} is already mounted by volumes.${first}`;
      issues.push({ path: ["volumes", index, "mountPath"], message });
    } else {
      firstByPath.set(volume.mountPath, index);
    }
  });

  return issues;
}

/** Both become the container's environment, so one name cannot be in both. */
function secretNameIssues(spec: TSpecFields): TIssue[] {
  return Object.keys(spec.secrets)
    .filter((name) => Object.hasOwn(spec.env, name))
    .map((name) => ({
      path: ["secrets", name],
      message: `"${name}" is also set in env; a name goes in env or in secrets, not both`,
    }));
}

/** A network health check must probe a TCP port the app declares, or it can never pass. */
function healthCheckIssues(spec: TSpecFields): TIssue[] {
  const check = spec.healthCheck;
  if (!check || check.type === "command") {
    return [];
  }
  const tcpPorts = spec.ports.filter((p) => p.protocol === "tcp").map((p) => p.containerPort);
  if (tcpPorts.includes(check.port)) {
    return [];
  }
  const message =
    tcpPorts.length === 0
      ? `port ${check.port} is not declared: add it to ports (tcp) first`
      : `must be one of the app's TCP container ports: ${tcpPorts.join(", ")}`;

  return [{ path: ["healthCheck", "port"], message }];
}

function antiAffinityIssues(spec: TSpecFields): TIssue[] {
  const issues: TIssue[] = [];
  const seen = new Set<string>();
  spec.placement.antiAffinity.forEach((name, index) => {
    const path = ["placement", "antiAffinity", index];
    if (name === spec.name) {
      const message = "an app cannot avoid itself; use maxPerNode: 1 to keep replicas apart";
      issues.push({ path, message });
    } else if (seen.has(name)) {
      issues.push({ path, message: `${name} is listed twice` });
    }
    seen.add(name);
  });

  return issues;
}

function checkSpec(spec: TSpecFields, ctx: z.RefinementCtx) {
  const issues = [
    ...portIssues(spec.ports),
    ...volumeIssues(spec.volumes),
    ...secretNameIssues(spec),
    ...healthCheckIssues(spec),
    ...antiAffinityIssues(spec),
  ];
  for (const issue of issues) {
    ctx.addIssue({ code: "custom", ...issue });
  }
}

/**
 * The full spec of an app: what a user submits, and what a revision snapshots. A minimal
 * `{ name, image }` parses; every other field has a default or is optional.
 */
export const ZAppSpec = ZAppSpecFields.superRefine(checkSpec);

/** A parsed spec, with defaults filled in. */
export type TAppSpec = z.output<typeof ZAppSpec>;
/** What a caller may submit: the same fields, most of them optional. */
export type TAppSpecInput = z.input<typeof ZAppSpec>;

export type TPort = TAppSpec["ports"][number];
export type TVolume = TAppSpec["volumes"][number];
export type TConstraint = TAppSpec["placement"]["constraints"][number];
export type THealthCheck = NonNullable<TAppSpec["healthCheck"]>;
export type TLbPolicy = (typeof LB_POLICIES)[number];
export type TLoadBalancing = NonNullable<TAppSpec["lb"]>;
export type THashKey = NonNullable<TLoadBalancing["hashKey"]>;

// ---------------------------------------------------------------------------------------------
// 11. Secrets masking and helpers
// ---------------------------------------------------------------------------------------------

/**
 * A spec as viewers may see it. Every secret must be the mask, so a procedure that forgot
 * `maskSecrets` fails its output check instead of leaking a value.
 */
export const ZAppSpecView = strictObject({
  ...appSpecShape,
  secrets: z.record(z.string(), z.literal(SECRET_MASK)),
});

export type TAppSpecView = z.output<typeof ZAppSpecView>;

/** The spec with every secret value replaced by `SECRET_MASK`; names stay visible. */
export function maskSecrets(spec: TAppSpec): TAppSpecView {
  const secrets = Object.fromEntries(
    Object.keys(spec.secrets).map((name) => [name, SECRET_MASK] as const),
  );

  return { ...spec, secrets };
}

/**
 * Puts back secrets that come back still masked, as when an edit form resubmits a viewed
 * spec, so that editing an app never overwrites its secrets with the mask. `missing` names
 * masked secrets that `previous` does not hold: the caller must refuse those.
 */
export function restoreMaskedSecrets(
  next: TAppSpec,
  previous: TAppSpec | undefined,
): { spec: TAppSpec; missing: string[] } {
  const missing: string[] = [];
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(next.secrets)) {
    const kept = previous?.secrets[name];
    if (value !== SECRET_MASK) {
      secrets[name] = value;
    } else if (kept === undefined) {
      missing.push(name);
    } else {
      secrets[name] = kept;
    }
  }

  return { spec: { ...next, secrets }, missing };
}

/** Bind mounts expose the node's files to the container: the API requires admins for them. */
export function usesBindMounts(spec: Pick<TAppSpec, "volumes">): boolean {
  return spec.volumes.some((volume) => volume.kind === "bind");
}
