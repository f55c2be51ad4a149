import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { diffSpecs } from "./diff";
import {
  CONSTRAINT_OPERATORS,
  LB_POLICIES,
  MAX_BACKOFF_MS,
  MAX_CPU_MILLIS,
  MAX_HEALTH_INTERVAL_MS,
  MAX_HEALTH_START_PERIOD_MS,
  MAX_MEMORY_BYTES,
  MIB_BYTES,
  MIN_BACKOFF_MS,
  MIN_CPU_LIMIT_MILLIS,
  MIN_HEALTH_INTERVAL_MS,
  MIN_HEALTH_TIMEOUT_MS,
  MIN_MEMORY_LIMIT_BYTES,
  MIN_MEMORY_REQUEST_BYTES,
  SECRET_MASK,
  type TAppSpec,
  type THealthCheck,
  type TPort,
  type TVolume,
  ZAppSpec,
  ZAppSpecView,
  describeBytes,
  describeMillicores,
  describeMs,
  imageProblem,
  maskSecrets,
  pathProblem,
  restoreMaskedSecrets,
  usesBindMounts,
} from "./spec";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const minimal = { name: "web", image: "berth-demo/web:1" };

/** Field errors keyed by dotted path, as `server/api/trpc.ts` builds them for forms. */
function fieldErrors(input: unknown): Record<string, string[]> {
  const result = ZAppSpec.safeParse(input);
  if (result.success) {
    return {};
  }
  const fields: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join(".") || "input";
    (fields[key] ??= []).push(issue.message);
  }

  return fields;
}

function parse(overrides: Record<string, unknown>): TAppSpec {
  return ZAppSpec.parse({ ...minimal, ...overrides });
}

// ---------------------------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------------------------

describe("ZAppSpec defaults", () => {
  it("parses a minimal { name, image } with every default filled in", () => {
    expect(ZAppSpec.parse(minimal)).toStrictEqual({
      name: "web",
      image: "berth-demo/web:1",
      command: [],
      args: [],
      env: {},
      secrets: {},
      ports: [],
      volumes: [],
      resources: { cpuRequestMillis: 100, memoryRequestBytes: 128 * MIB_BYTES },
      replicas: 1,
      placement: { strategy: "spread", constraints: [], antiAffinity: [] },
      restart: { maxRestarts: 10, backoffInitialMs: 1000, backoffMaxMs: 300_000 },
      update: { maxSurge: 1, maxUnavailable: 0, autoRollback: true },
    });
  });

  it("fills defaults inside partly given objects", () => {
    const spec = parse({
      ports: [{ containerPort: 8080 }],
      volumes: [{ name: "data", mountPath: "/data" }],
      healthCheck: { type: "http", path: "/healthz", port: 8080 },
      resources: { memoryLimitBytes: 512 * MIB_BYTES },
      update: { maxSurge: 2 },
      lb: {},
    });

    expect(spec.ports).toStrictEqual([{ containerPort: 8080, protocol: "tcp" }]);
    expect(spec.volumes).toStrictEqual([
      { kind: "volume", name: "data", mountPath: "/data", readOnly: false },
    ]);
    expect(spec.healthCheck).toStrictEqual({
      type: "http",
      path: "/healthz",
      port: 8080,
      intervalMs: 10_000,
      timeoutMs: 2000,
      retries: 3,
      startPeriodMs: 0,
    });
    expect(spec.resources.cpuRequestMillis).toBe(100);
    expect(spec.update).toStrictEqual({ maxSurge: 2, maxUnavailable: 0, autoRollback: true });
    expect(spec.lb).toStrictEqual({ policy: "round-robin" });
  });

  it("takes every load-balancing setting, each with the policy that reads it", () => {
    const weighted = parse({ lb: { policy: "weighted", weights: [3, 1, 0], servicePort: 20001 } });
    const hashed = parse({
      lb: { policy: "consistent-hash", mode: "http", hashKey: { source: "cookie", name: "sid" } },
    });
    const byCapacity = parse({ lb: { policy: "weighted", weightByNodeCapacity: true } });

    expect(weighted.lb).toStrictEqual({
      policy: "weighted",
      weights: [3, 1, 0],
      servicePort: 20001,
    });
    expect(hashed.lb?.hashKey).toStrictEqual({ source: "cookie", name: "sid" });
    expect(byCapacity.lb?.weightByNodeCapacity).toBe(true);
  });

  it("does not share default objects between parses", () => {
    const first = ZAppSpec.parse(minimal);
    first.command.push("mutated");
    first.env.MUTATED = "yes";

    expect(ZAppSpec.parse(minimal).command).toEqual([]);
    expect(ZAppSpec.parse(minimal).env).toEqual({});
  });

  it("trims the name and image a form may pad", () => {
    const spec = ZAppSpec.parse({ name: " web ", image: " nginx:1.27 " });

    expect([spec.name, spec.image]).toEqual(["web", "nginx:1.27"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile specs: each refused on exactly one path, with a message that says what is allowed
// ---------------------------------------------------------------------------------------------

/** 160 values of 31,250 bytes: each value within its limit, the whole far over. */
const FIVE_MB_ENV = Object.fromEntries(
  Array.from({ length: 160 }, (_, i) => [`VAR_${i}`, "x".repeat(31_250)]),
);

/** [what, spec fields, the one path refused (or the paths), what its message must say] */
const hostile: [string, Record<string, unknown>, string | string[], RegExp][] = [
  ["negative replicas", { replicas: -1 }, "replicas", /from 0 to 1000/],
  ["fractional replicas", { replicas: 1.5 }, "replicas", /whole number from 0 to 1000/],
  ["too many replicas", { replicas: 1001 }, "replicas", /from 0 to 1000/],
  ["replicas as text", { replicas: "3" }, "replicas", /whole number/],
  [
    "10^9 MiB of memory",
    { resources: { memoryRequestBytes: 1e9 * MIB_BYTES } },
    "resources.memoryRequestBytes",
    /at most 4 TiB \(got 1000000000 MiB\)/,
  ],
  [
    "a memory limit of 1 byte",
    { resources: { memoryLimitBytes: 1 } },
    "resources.memoryLimitBytes",
    /at least 6 MiB/,
  ],
  [
    "a memory request under 4 MiB",
    { resources: { memoryRequestBytes: MIB_BYTES } },
    "resources.memoryRequestBytes",
    /at least 4 MiB/,
  ],
  [
    "memory beyond safe integers",
    { resources: { memoryRequestBytes: 1e300 } },
    "resources.memoryRequestBytes",
    /whole number of bytes from 4 MiB to 4 TiB/,
  ],
  [
    "a CPU limit the kernel cannot enforce",
    { resources: { cpuRequestMillis: 1, cpuLimitMillis: 5 } },
    "resources.cpuLimitMillis",
    /from 10 to 1024000 millicores/,
  ],
  [
    "a CPU limit below its request",
    { resources: { cpuRequestMillis: 500, cpuLimitMillis: 250 } },
    "resources.cpuLimitMillis",
    /at least cpuRequestMillis \(500, 0.5 CPU\)/,
  ],
  [
    "a memory limit below its request",
    { resources: { memoryRequestBytes: 512 * MIB_BYTES, memoryLimitBytes: 256 * MIB_BYTES } },
    "resources.memoryLimitBytes",
    /at least memoryRequestBytes \(512 MiB\)/,
  ],
  ["a name with ;", { name: "web;rm" }, "name", /lowercase letters, digits and '-'/],
  ["a name with ../", { name: "../etc" }, "name", /lowercase letters, digits and '-'/],
  ["an upper-case name", { name: "Web" }, "name", /lowercase/],
  ["a missing name", { name: undefined }, "name", /is required/],
  ["an env of 5 MB", { env: FIVE_MB_ENV }, "env", /256 KiB/],
  [
    "one env value of 5 MB",
    { env: { BIG: "x".repeat(5_000_000) } },
    ["env.BIG", "env"],
    /at most 32 KiB \(got 5000000 B \(about 4.8 MiB\)\)/,
  ],
  ["an env name with =", { env: { "A=B": "x" } }, "env.A=B", /letters, digits and _/],
  ["an env name starting with a digit", { env: { "1X": "x" } }, "env.1X", /not starting/],
  ["a NUL in an env value", { env: { A: "a\u0000b" } }, "env.A", /NUL/],
  ["env as a list", { env: ["A=B"] }, "env", /NAME: "value"/],
  [
    "a secret over 64 KiB",
    { secrets: { KEY: "k".repeat(70_000) } },
    "secrets.KEY",
    /at most 64 KiB/,
  ],
  [
    "a name in both env and secrets",
    { env: { TOKEN: "a" }, secrets: { TOKEN: "b" } },
    "secrets.TOKEN",
    /in env or in secrets/,
  ],
  [
    "an unknown constraint operator",
    { placement: { constraints: [{ key: "zone", operator: "=~", value: "eu" }] } },
    "placement.constraints.0.operator",
    /one of "==", "!=", "in"/,
  ],
  [
    "an in-constraint with no values",
    { placement: { constraints: [{ key: "zone", operator: "in", values: [] }] } },
    "placement.constraints.0.values",
    /at least one value/,
  ],
  [
    "an unknown strategy",
    { placement: { strategy: "random" } },
    "placement.strategy",
    /"binpack", "spread"/,
  ],
  [
    "an app that avoids itself",
    { placement: { antiAffinity: ["web"] } },
    "placement.antiAffinity.0",
    /maxPerNode: 1/,
  ],
  [
    "a bind mount with ..",
    { volumes: [{ kind: "bind", hostPath: "/srv/../etc", mountPath: "/data" }] },
    "volumes.0.hostPath",
    /cannot contain '\.\.'/,
  ],
  [
    "a relative bind mount",
    { volumes: [{ kind: "bind", hostPath: "srv/data", mountPath: "/data" }] },
    "volumes.0.hostPath",
    /absolute path/,
  ],
  [
    "a bind mount with a shell character",
    { volumes: [{ kind: "bind", hostPath: "/srv/$(id)", mountPath: "/data" }] },
    "volumes.0.hostPath",
    /letters, digits/,
  ],
  [
    "a mount over the container's root",
    { volumes: [{ name: "data", mountPath: "/" }] },
    "volumes.0.mountPath",
    /cannot be \//,
  ],
  [
    "an unknown volume kind",
    { volumes: [{ kind: "nfs", mountPath: "/data" }] },
    "volumes.0.kind",
    /"volume".*"bind"/,
  ],
  [
    "two mounts on one path",
    {
      volumes: [
        { name: "a", mountPath: "/data" },
        { name: "b", mountPath: "/data" },
      ],
    },
    "volumes.1.mountPath",
    /already mounted by volumes.0/,
  ],
  ["an image with spaces", { image: "web server:1" }, "image", /no spaces/],
  ["an image with ;", { image: "web;rm -rf /" }, "image", /shell characters/],
  ["an image with $()", { image: "web:$(id)" }, "image", /shell characters/],
  ["an image with a backtick", { image: "web:`id`" }, "image", /shell characters/],
  ["an image with a pipe", { image: "web|sh" }, "image", /shell characters/],
  ["an upper-case repository", { image: "Web:1" }, "image", /lowercase/],
  ["a short digest", { image: "web@sha256:abc" }, "image", /64 lowercase hex/],
  ["an image of 256 characters", { image: "a".repeat(256) }, "image", /at most 255/],
  [
    "duplicate ports",
    { ports: [{ containerPort: 80 }, { containerPort: 80, protocol: "tcp" }] },
    "ports.1.containerPort",
    /80\/tcp is already declared by ports.0/,
  ],
  [
    "one host port published twice",
    {
      ports: [
        { containerPort: 80, hostPort: 8080 },
        { containerPort: 81, hostPort: 8080 },
      ],
    },
    "ports.1.hostPort",
    /host port 8080\/tcp is already published by ports.0/,
  ],
  [
    "one port name used twice",
    {
      ports: [
        { containerPort: 80, name: "http" },
        { containerPort: 81, name: "http" },
      ],
    },
    "ports.1.name",
    /the name http is already used by ports.0/,
  ],
  ["port 0", { ports: [{ containerPort: 0 }] }, "ports.0.containerPort", /from 1 to 65535/],
  [
    "an unknown protocol",
    { ports: [{ containerPort: 80, protocol: "sctp" }] },
    "ports.0.protocol",
    /"tcp", "udp"/,
  ],
  [
    "a health check on an undeclared port",
    { ports: [{ containerPort: 80 }], healthCheck: { type: "http", path: "/", port: 8080 } },
    "healthCheck.port",
    /TCP container ports: 80/,
  ],
  [
    "a health check on a UDP port",
    { ports: [{ containerPort: 53, protocol: "udp" }], healthCheck: { type: "tcp", port: 53 } },
    "healthCheck.port",
    /add it to ports \(tcp\)/,
  ],
  [
    "a health check timeout as long as its interval",
    { healthCheck: { type: "command", command: ["true"], intervalMs: 5000, timeoutMs: 5000 } },
    "healthCheck.timeoutMs",
    /shorter than intervalMs \(5 s\)/,
  ],
  [
    "an unknown health check type",
    { healthCheck: { type: "grpc", port: 80 } },
    "healthCheck.type",
    /"http", "tcp", "command"/,
  ],
  [
    "a health path without /",
    { ports: [{ containerPort: 80 }], healthCheck: { type: "http", path: "healthz", port: 80 } },
    "healthCheck.path",
    /start with \//,
  ],
  [
    "a command health check with no command",
    { healthCheck: { type: "command", command: [] } },
    "healthCheck.command",
    /program to run/,
  ],
  [
    "a backoff cap below its start",
    { restart: { backoffInitialMs: 10_000, backoffMaxMs: 1000 } },
    "restart.backoffMaxMs",
    /at least backoffInitialMs \(10 s\)/,
  ],
  [
    "an update that can make no progress",
    { update: { maxSurge: 0, maxUnavailable: 0 } },
    "update.maxUnavailable",
    /cannot both be 0/,
  ],
  ["an unknown lb policy", { lb: { policy: "fastest" } }, "lb.policy", /"round-robin"/],
  ["an unknown lb mode", { lb: { mode: "udp" } }, "lb.mode", /"http", "tcp"/],
  ["weights without the weighted policy", { lb: { weights: [2, 1] } }, "lb.weights", /"weighted"/],
  [
    "weights that are all 0",
    { lb: { policy: "weighted", weights: [0, 0] } },
    "lb.weights",
    /at least one weight must be above 0/,
  ],
  [
    "a weight above the maximum",
    { lb: { policy: "weighted", weights: [1001] } },
    "lb.weights.0",
    /from 0 to 1000/,
  ],
  [
    "weights and node capacity both",
    { lb: { policy: "weighted", weights: [1], weightByNodeCapacity: true } },
    "lb.weightByNodeCapacity",
    /not both/,
  ],
  [
    "a hash key without consistent hashing",
    { lb: { policy: "p2c", hashKey: { source: "client-address" } } },
    "lb.hashKey",
    /"consistent-hash"/,
  ],
  [
    "a hash key of an unknown source",
    { lb: { policy: "consistent-hash", hashKey: { source: "query" } } },
    "lb.hashKey.source",
    /"header", "cookie", "client-address"/,
  ],
  [
    "a header hash key in tcp mode",
    { lb: { policy: "consistent-hash", mode: "tcp", hashKey: { source: "header", name: "x" } } },
    "lb.hashKey.source",
    /no headers or cookies/,
  ],
  [
    "a header name with a space",
    { lb: { policy: "consistent-hash", hashKey: { source: "header", name: "x user" } } },
    "lb.hashKey.name",
    /header name/,
  ],
  ["a service port of 0", { lb: { servicePort: 0 } }, "lb.servicePort", /port number/],
  ["a misspelt lb field", { lb: { polcy: "p2c" } }, "lb", /unknown field "polcy"/],
  ["a NUL in an argument", { args: ["a\u0000b"] }, "args.0", /NUL/],
  ["65 arguments", { args: Array.from({ length: 65 }, () => "x") }, "args", /at most 64/],
  ["an argument of 4097 characters", { command: ["x".repeat(4097)] }, "command.0", /4096/],
  ["a command as a string", { command: "node server.js" }, "command", /list of strings/],
  ["a misspelt field", { replica: 3 }, "input", /unknown field "replica"; allowed: name/],
  [
    "a field Berth does not have",
    { resources: { privileged: true } },
    "resources",
    /unknown field "privileged"; allowed: cpuRequestMillis/,
  ],
];

describe("ZAppSpec refuses hostile specs", () => {
  it.each(hostile)("%s", (_, overrides, paths, message) => {
    const errors = fieldErrors({ ...minimal, ...overrides });
    const expected = typeof paths === "string" ? [paths] : paths;

    expect(Object.keys(errors)).toEqual(expected);
    expect(errors[expected[0] ?? ""]?.join("; ")).toMatch(message);
  });

  it("refuses a 5 MB env naming env, the limits and what it got", () => {
    expect(fieldErrors({ ...minimal, env: FIVE_MB_ENV })).toEqual({
      env: [
        "at most 128 env entries (got 160)",
        "env must total at most 256 KiB (got 5001170 B (about 4.8 MiB)); " +
          "put large data in a volume",
      ],
    });
  });

  it("refuses what is not an object at all", () => {
    expect(Object.keys(fieldErrors("web"))).toEqual(["input"]);
    expect(Object.keys(fieldErrors(null))).toEqual(["input"]);
    expect(Object.keys(fieldErrors([minimal]))).toEqual(["input"]);
  });

  it("never quotes a secret value in its messages", () => {
    const value = "hunter2-".repeat(10_000);
    const result = ZAppSpec.safeParse({ ...minimal, secrets: { KEY: value, "bad name": "x" } });

    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain("hunter2");
  });
});

// ---------------------------------------------------------------------------------------------
// Pieces
// ---------------------------------------------------------------------------------------------

describe("imageProblem", () => {
  it.each([
    "nginx",
    "nginx:1.27",
    "library/nginx:1.27-alpine",
    "berth-demo/web:2",
    "ghcr.io/acme/web:1.4",
    "localhost:5000/web",
    "registry.example.com:443/team/app/web:v1.2.3_rc.1",
    "10.0.0.5:5000/web:latest",
    "[::1]:5000/web:dev",
    `web@sha256:${"a".repeat(64)}`,
    `ghcr.io/acme/web:1.4@sha256:${"0123456789abcdef".repeat(4)}`,
    "my_org/my__app/web---x:TAG_1",
  ])("accepts %s", (reference) => {
    expect(imageProblem(reference)).toBeUndefined();
  });

  it.each([
    ["", /is required/],
    ["web:", /image reference/],
    [":1", /image reference/],
    ["-web", /image reference/],
    ["web-", /image reference/],
    ["web/", /image reference/],
    ["ghcr.io//web", /image reference/],
    [`web:${"t".repeat(129)}`, /image reference/],
    [`web@sha256:${"A".repeat(64)}`, /64 lowercase hex/],
    [`web@md5:${"a".repeat(32)}`, /@sha256:/],
    ["web\n:1", /no spaces/],
    ["web&&id", /shell characters/],
    ["web>out", /shell characters/],
    ["web\\x", /shell characters/],
  ])("refuses %j", (reference, message) => {
    expect(imageProblem(reference)).toMatch(message);
  });

  it("answers quickly on inputs built to make regular expressions backtrack", () => {
    const nasty = [
      `${"a".repeat(254)}-`,
      "a-".repeat(127),
      `${"a.".repeat(127)}/`,
      `${"a".repeat(120)}:${"b".repeat(120)}/`,
      `${"a__".repeat(84)}_`,
    ];
    const started = performance.now();
    for (const reference of nasty) {
      expect(imageProblem(reference)).toBeDefined();
    }

    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe("pathProblem", () => {
  it.each(["/", "/data", "/var/lib/app-1", "/srv/.config/x_y@z+w=v"])("accepts %s", (path) => {
    expect(pathProblem(path)).toBeUndefined();
  });

  it.each([
    ["data", /absolute/],
    ["/a/../b", /'\.\.'/],
    ["/..", /'\.\.'/],
    ["/a/./b", /plainly/],
    ["/a//b", /plainly/],
    ["/a/", /plainly/],
    ["/a b", /letters, digits/],
    ["/a:b", /letters, digits/],
    ["/a;b", /letters, digits/],
    [`/${"a".repeat(1024)}`, /at most 1024/],
  ])("refuses %j", (path, message) => {
    expect(pathProblem(path)).toMatch(message);
  });
});

describe("describing values", () => {
  it("shows bytes exactly, in the largest unit that holds them", () => {
    expect(describeBytes(MAX_MEMORY_BYTES)).toBe("4 TiB");
    expect(describeBytes(1536 * MIB_BYTES)).toBe("1536 MiB");
    expect(describeBytes(1000)).toBe("1000 B");
    expect(describeBytes(0)).toBe("0 B");
    expect(describeBytes(5_000_000)).toBe("5000000 B (about 4.8 MiB)");
  });

  it("shows durations and CPUs exactly", () => {
    expect(describeMs(3_600_000)).toBe("1 h");
    expect(describeMs(90_000)).toBe("90 s");
    expect(describeMs(1500)).toBe("1500 ms");
    expect(describeMs(0)).toBe("0 ms");
    expect(describeMillicores(500)).toBe("0.5 CPU");
    expect(describeMillicores(1)).toBe("0.001 CPU");
    expect(describeMillicores(2000)).toBe("2 CPUs");
  });
});

describe("secrets and bind mounts", () => {
  const spec = parse({ env: { MODE: "prod" }, secrets: { DB_PASSWORD: "s3cret", TOKEN: "t0k" } });

  it("masks every secret value and keeps the names", () => {
    const view = maskSecrets(spec);

    expect(view.secrets).toEqual({ DB_PASSWORD: SECRET_MASK, TOKEN: SECRET_MASK });
    expect(view.env).toEqual({ MODE: "prod" });
    expect(spec.secrets.DB_PASSWORD).toBe("s3cret");
  });

  it("lets only masked specs through the view schema", () => {
    expect(ZAppSpecView.safeParse(maskSecrets(spec)).success).toBe(true);
    expect(ZAppSpecView.safeParse(spec).success).toBe(false);
  });

  it("puts back secrets a form resubmits still masked, and names those it cannot", () => {
    const edited = { ...maskSecrets(spec), secrets: { DB_PASSWORD: SECRET_MASK, NEW: "n" } };
    const restored = restoreMaskedSecrets(edited, spec);

    expect(restored.spec.secrets).toEqual({ DB_PASSWORD: "s3cret", NEW: "n" });
    expect(restored.missing).toEqual([]);
    expect(restoreMaskedSecrets(edited, undefined).missing).toEqual(["DB_PASSWORD"]);
  });

  it("tells when a spec uses bind mounts", () => {
    const named = parse({ volumes: [{ name: "data", mountPath: "/data" }] });
    const bind = parse({
      volumes: [{ kind: "bind", hostPath: "/var/run/docker.sock", mountPath: "/sock" }],
    });

    expect(usesBindMounts(named)).toBe(false);
    expect(usesBindMounts(bind)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated valid specs
// ---------------------------------------------------------------------------------------------

const arbName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const arbLabelKey = fc.stringMatching(/^[a-z0-9]([a-z0-9._/-]{0,8}[a-z0-9])?$/);
const arbLabelValue = fc.stringMatching(/^[A-Za-z0-9 ._-]{0,10}$/);
const arbText = fc.string({ unit: "binary", maxLength: 30 }).filter((s) => !s.includes("\u0000"));

const arbImage = fc
  .record({
    registry: fc.constantFrom("", "ghcr.io/", "localhost:5000/", "[::1]:5000/", "10.0.0.1:80/"),
    path: fc.array(fc.stringMatching(/^[a-z0-9]{1,5}((\.|_|__|-+)[a-z0-9]{1,5})?$/), {
      minLength: 1,
      maxLength: 3,
    }),
    tag: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/), { nil: undefined }),
    digest: fc.option(fc.stringMatching(/^[a-f0-9]{64}$/), { nil: undefined }),
  })
  .map(({ registry, path, tag, digest }) => {
    const tagPart = tag === undefined ? "" : `:${tag}`;
    const digestPart = digest === undefined ? "" : `@sha256:${digest}`;

    return `${registry}${path.join("/")}${tagPart}${digestPart}`;
  })
  .filter((image) => image.length <= 255);

/** Values that cannot appear by chance elsewhere in a spec, so a leak is unmistakable. */
const arbSecrets = fc.dictionary(
  fc.stringMatching(/^S_[A-Z0-9_]{0,10}$/),
  fc.uuid().map((id) => `secret-${id}`),
  { maxKeys: 5, noNullPrototype: true },
);

const arbEnv = fc.dictionary(fc.stringMatching(/^E_[A-Za-z0-9_]{0,10}$/), arbText, {
  maxKeys: 8,
  noNullPrototype: true,
});

const arbPorts: fc.Arbitrary<TPort[]> = fc
  .uniqueArray(
    fc.record({
      containerPort: fc.integer({ min: 1, max: 65_535 }),
      protocol: fc.constantFrom("tcp" as const, "udp" as const),
      isPublished: fc.boolean(),
      isNamed: fc.boolean(),
    }),
    { selector: (port) => `${port.containerPort}/${port.protocol}`, maxLength: 5 },
  )
  .map((ports) =>
    // Host ports and names derive from the index, so they are unique by construction.
    ports.map(({ isPublished, isNamed, ...port }, index) => ({
      ...port,
      ...(isPublished ? { hostPort: 20_000 + index } : {}),
      ...(isNamed ? { name: `port-${index}` } : {}),
    })),
  );

const arbAbsolutePath = fc
  .array(
    fc.stringMatching(/^[A-Za-z0-9._@+=-]{1,8}$/).filter((s) => s !== "." && s !== ".."),
    { minLength: 1, maxLength: 4 },
  )
  .map((segments) => `/${segments.join("/")}`);

const arbVolume: fc.Arbitrary<TVolume> = fc.oneof(
  fc.record({
    kind: fc.constant("volume" as const),
    name: fc.stringMatching(/^[a-z0-9]([a-z0-9_.-]{0,8}[a-z0-9])?$/),
    mountPath: arbAbsolutePath,
    readOnly: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("bind" as const),
    hostPath: fc.oneof(fc.constant("/"), arbAbsolutePath),
    mountPath: arbAbsolutePath,
    readOnly: fc.boolean(),
  }),
);

const arbResources = fc
  .record({
    cpuRequestMillis: fc.integer({ min: 1, max: MAX_CPU_MILLIS }),
    memoryRequestBytes: fc.integer({ min: MIN_MEMORY_REQUEST_BYTES, max: MAX_MEMORY_BYTES }),
  })
  .chain((requests) => {
    const cpuMin = Math.max(requests.cpuRequestMillis, MIN_CPU_LIMIT_MILLIS);
    const memoryMin = Math.max(requests.memoryRequestBytes, MIN_MEMORY_LIMIT_BYTES);
    // No required keys: each limit is sometimes left out, as users may.
    const limits = fc.record(
      {
        cpuLimitMillis: fc.integer({ min: cpuMin, max: MAX_CPU_MILLIS }),
        memoryLimitBytes: fc.integer({ min: memoryMin, max: MAX_MEMORY_BYTES }),
      },
      { requiredKeys: [] },
    );

    return limits.map((given) => ({ ...requests, ...given }));
  });

const arbConstraint = fc.oneof(
  fc.record({
    key: arbLabelKey,
    operator: fc.constantFrom("==" as const, "!=" as const),
    value: arbLabelValue,
  }),
  fc.record({
    key: arbLabelKey,
    operator: fc.constant("in" as const),
    values: fc.array(arbLabelValue, { minLength: 1, maxLength: 4 }),
  }),
);

function arbPlacement(appName: string) {
  return fc.record(
    {
      strategy: fc.constantFrom("binpack" as const, "spread" as const),
      constraints: fc.array(arbConstraint, { maxLength: 4 }),
      maxPerNode: fc.integer({ min: 1, max: 1000 }),
      antiAffinity: fc.uniqueArray(
        arbName.filter((name) => name !== appName),
        { maxLength: 3 },
      ),
      spreadBy: arbLabelKey,
    },
    { requiredKeys: ["strategy", "constraints", "antiAffinity"] },
  );
}

const arbTiming = fc
  .integer({ min: MIN_HEALTH_INTERVAL_MS, max: MAX_HEALTH_INTERVAL_MS })
  .chain((intervalMs) =>
    fc.record({
      intervalMs: fc.constant(intervalMs),
      timeoutMs: fc.integer({ min: MIN_HEALTH_TIMEOUT_MS, max: intervalMs - 1 }),
      retries: fc.integer({ min: 1, max: 10 }),
      startPeriodMs: fc.integer({ min: 0, max: MAX_HEALTH_START_PERIOD_MS }),
    }),
  );

function arbHealthCheck(ports: readonly TPort[]): fc.Arbitrary<THealthCheck> {
  const command = fc.record({
    type: fc.constant("command"),
    command: fc.array(arbText, { minLength: 1, maxLength: 3 }),
  });
  const kinds: fc.Arbitrary<Record<string, unknown>>[] = [command];
  const tcpPorts = ports.filter((port) => port.protocol === "tcp").map((p) => p.containerPort);
  if (tcpPorts.length > 0) {
    const port = fc.constantFrom(...tcpPorts);
    const path = fc.stringMatching(/^\/[\x21-\x7E]{0,20}$/);
    kinds.push(fc.record({ type: fc.constant("tcp"), port }));
    kinds.push(fc.record({ type: fc.constant("http"), path, port }));
  }

  return fc
    .tuple(fc.oneof(...kinds), arbTiming)
    .map(([kind, timing]) => ({ ...kind, ...timing }) as THealthCheck);
}

const arbRestart = fc
  .tuple(
    fc.integer({ min: 0, max: 1000 }),
    fc.integer({ min: MIN_BACKOFF_MS, max: MAX_BACKOFF_MS }),
    fc.integer({ min: MIN_BACKOFF_MS, max: MAX_BACKOFF_MS }),
  )
  .map(([maxRestarts, a, b]) => ({
    maxRestarts,
    backoffInitialMs: Math.min(a, b),
    backoffMaxMs: Math.max(a, b),
  }));

const arbUpdate = fc
  .record({
    maxSurge: fc.integer({ min: 0, max: 1000 }),
    maxUnavailable: fc.integer({ min: 0, max: 1000 }),
    autoRollback: fc.boolean(),
  })
  .filter((update) => update.maxSurge + update.maxUnavailable > 0);

/** Any valid spec, in its parsed form: every default present, optional fields sometimes. */
const arbAppSpec: fc.Arbitrary<TAppSpec> = fc
  .tuple(arbName, arbPorts)
  .chain(([name, ports]) => arbSpecFields(name, ports))
  // fast-check may build objects without a prototype; a parsed spec has plain objects.
  .map((spec) => structuredClone(spec));

function arbSpecFields(name: string, ports: TPort[]) {
  return fc.record(
    {
      name: fc.constant(name),
      image: arbImage,
      command: fc.array(arbText, { maxLength: 4 }),
      args: fc.array(arbText, { maxLength: 4 }),
      env: arbEnv,
      secrets: arbSecrets,
      ports: fc.constant(ports),
      volumes: fc.uniqueArray(arbVolume, { selector: (v) => v.mountPath, maxLength: 4 }),
      resources: arbResources,
      replicas: fc.integer({ min: 0, max: 1000 }),
      placement: arbPlacement(name),
      healthCheck: arbHealthCheck(ports),
      restart: arbRestart,
      update: arbUpdate,
      lb: fc.record({ policy: fc.constantFrom(...LB_POLICIES) }),
    },
    {
      requiredKeys: [
        "name",
        "image",
        "command",
        "args",
        "env",
        "secrets",
        "ports",
        "volumes",
        "resources",
        "replicas",
        "placement",
        "restart",
        "update",
      ],
    },
  );
}

function secretValues(spec: TAppSpec): string[] {
  return Object.values(spec.secrets);
}

describe("ZAppSpec properties", () => {
  it("round-trips every valid spec through parse unchanged", () => {
    fc.assert(
      fc.property(arbAppSpec, (spec) => {
        expect(ZAppSpec.parse(spec)).toStrictEqual(spec);
        expect(ZAppSpec.parse(JSON.parse(JSON.stringify(spec)))).toStrictEqual(spec);
      }),
      { numRuns: 300 },
    );
  });

  it("parses what it made again to the same spec, whatever optional fields were left out", () => {
    const optional = [
      "command",
      "args",
      "env",
      "secrets",
      "ports",
      "volumes",
      "resources",
      "replicas",
      "placement",
      "restart",
      "update",
    ] as const;
    fc.assert(
      fc.property(arbAppSpec, fc.subarray([...optional]), (spec, dropped) => {
        const input: Record<string, unknown> = { ...spec };
        for (const key of dropped) {
          delete input[key];
        }
        // Without ports, a network health check would rightly be refused.
        if (dropped.includes("ports")) {
          delete input.healthCheck;
        }
        const once = ZAppSpec.parse(input);

        expect(ZAppSpec.parse(once)).toStrictEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it("finds no difference between a spec and its copy", () => {
    fc.assert(
      fc.property(arbAppSpec, (spec) => {
        expect(diffSpecs(spec, spec)).toEqual([]);
        expect(diffSpecs(spec, structuredClone(spec))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("never lets a secret value through maskSecrets, and changes nothing else", () => {
    fc.assert(
      fc.property(arbAppSpec, (spec) => {
        const view = maskSecrets(spec);
        const text = JSON.stringify(view);
        for (const value of secretValues(spec)) {
          expect(text).not.toContain(value);
        }

        expect({ ...view, secrets: {} }).toStrictEqual({ ...spec, secrets: {} });
        expect(Object.keys(view.secrets)).toEqual(Object.keys(spec.secrets));
        expect(ZAppSpecView.safeParse(view).success).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses every operator but the three it knows", () => {
    const arbOperator = fc.string({ maxLength: 4 }).filter((op) => {
      return !(CONSTRAINT_OPERATORS as readonly string[]).includes(op);
    });
    fc.assert(
      fc.property(arbOperator, (operator) => {
        const constraint = { key: "zone", operator, value: "eu" };
        const errors = fieldErrors({ ...minimal, placement: { constraints: [constraint] } });

        expect(Object.keys(errors)).toEqual(["placement.constraints.0.operator"]);
      }),
    );
  });
});
