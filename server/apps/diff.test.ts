import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { type TDiffEntry, diffSpecs, formatDiff, isEqual } from "./diff";
import { GIB_BYTES, MIB_BYTES, SECRET_MASK, type TAppSpec, ZAppSpec } from "./spec";

const base: TAppSpec = ZAppSpec.parse({
  name: "web",
  image: "berth-demo/web:1",
  command: ["node"],
  args: ["server.js"],
  env: { LOG_LEVEL: "info", MODE: "prod" },
  secrets: { DB_PASSWORD: "pw-one-4f1c9e", API_KEY: "key-one-7d2a0b" },
  ports: [{ containerPort: 8080, hostPort: 18080, name: "http" }, { containerPort: 9090 }],
  volumes: [
    { name: "data", mountPath: "/data" },
    { kind: "bind", hostPath: "/etc/ssl/certs", mountPath: "/ssl", readOnly: true },
  ],
  resources: {
    cpuRequestMillis: 250,
    memoryRequestBytes: 256 * MIB_BYTES,
    memoryLimitBytes: 512 * MIB_BYTES,
  },
  replicas: 3,
  placement: {
    constraints: [{ key: "zone", operator: "==", value: "eu" }],
    antiAffinity: ["db"],
    spreadBy: "zone",
  },
  healthCheck: { type: "http", path: "/healthz", port: 8080 },
});

/** A copy of `base` changed by `edit`; the copy is deep, so `base` never changes. */
function edited(edit: (spec: TAppSpec) => void, from: TAppSpec = base): TAppSpec {
  const spec = structuredClone(from);
  edit(spec);

  return spec;
}

function paths(entries: readonly TDiffEntry[]): string[] {
  return entries.map((entry) => entry.path);
}

describe("diffSpecs", () => {
  it("finds nothing between a spec and itself", () => {
    expect(diffSpecs(base, base)).toEqual([]);
    expect(diffSpecs(base, structuredClone(base))).toEqual([]);
  });

  it("names a changed image with before and after", () => {
    const next = edited((spec) => {
      spec.image = "berth-demo/web:2";
    });

    expect(diffSpecs(base, next)).toEqual([
      { path: "image", kind: "changed", before: "berth-demo/web:1", after: "berth-demo/web:2" },
    ]);
    expect(formatDiff(diffSpecs(base, next))).toEqual([
      "image: berth-demo/web:1 → berth-demo/web:2",
    ]);
  });

  it("walks into resources and shows sizes and CPUs in people's units", () => {
    const next = edited((spec) => {
      spec.resources.memoryLimitBytes = GIB_BYTES;
      spec.resources.cpuLimitMillis = 1500;
    });

    expect(diffSpecs(base, next)).toEqual([
      { path: "resources.cpuLimitMillis", kind: "added", before: undefined, after: 1500 },
      {
        path: "resources.memoryLimitBytes",
        kind: "changed",
        before: 512 * MIB_BYTES,
        after: GIB_BYTES,
      },
    ]);
    expect(formatDiff(diffSpecs(base, next))).toEqual([
      "resources.cpuLimitMillis: (none) → 1.5 CPUs",
      "resources.memoryLimitBytes: 512 MiB → 1 GiB",
    ]);
  });

  it("lists env changes by name, alphabetically", () => {
    const next = edited((spec) => {
      spec.env = { MODE: "staging", ZONE: "eu", ALPHA: "" };
    });

    expect(formatDiff(diffSpecs(base, next))).toEqual([
      'env.ALPHA: (none) → ""',
      "env.LOG_LEVEL: info → (none)",
      "env.MODE: prod → staging",
      "env.ZONE: (none) → eu",
    ]);
    expect(diffSpecs(base, next).map((entry) => entry.kind)).toEqual([
      "added",
      "removed",
      "changed",
      "added",
    ]);
  });

  it("says which secrets changed, never their values", () => {
    const next = edited((spec) => {
      spec.secrets = { DB_PASSWORD: "pw-two-88e1aa", NEW_TOKEN: "token-new-19bc3f" };
    });
    const entries = diffSpecs(base, next);

    expect(entries).toEqual([
      { path: "secrets.API_KEY", kind: "removed", before: SECRET_MASK, after: undefined },
      { path: "secrets.DB_PASSWORD", kind: "changed", before: SECRET_MASK, after: SECRET_MASK },
      { path: "secrets.NEW_TOKEN", kind: "added", before: undefined, after: SECRET_MASK },
    ]);
    expect(formatDiff(entries)).toEqual([
      "secrets.API_KEY: removed (value hidden)",
      "secrets.DB_PASSWORD: changed (value hidden)",
      "secrets.NEW_TOKEN: added (value hidden)",
    ]);
  });

  it("matches ports by port and protocol, so one added in front changes nothing else", () => {
    const next = edited((spec) => {
      spec.ports.unshift({ containerPort: 80, protocol: "tcp", name: "plain" });
      spec.ports[1]!.hostPort = 18081;
    });

    expect(formatDiff(diffSpecs(base, next))).toEqual([
      "ports[8080/tcp].hostPort: 18080 → 18081",
      "ports[80/tcp]: (none) → { containerPort: 80, protocol: tcp, name: plain }",
    ]);
  });

  it("matches volumes by mount path and sees no change in a reordering", () => {
    const reordered = edited((spec) => {
      spec.volumes.reverse();
      spec.ports.reverse();
    });
    const readOnly = edited((spec) => {
      spec.volumes[0]!.readOnly = true;
    });

    expect(diffSpecs(base, reordered)).toEqual([]);
    expect(formatDiff(diffSpecs(base, readOnly))).toEqual([
      "volumes[/data].readOnly: false → true",
    ]);
  });

  it("shows added items with what they are first, then what identifies them", () => {
    const next = edited((spec) => {
      const sock = { kind: "bind", hostPath: "/run/docker.sock", mountPath: "/sock" } as const;
      spec.volumes.push({ ...sock, readOnly: false });
      const { intervalMs, timeoutMs, retries, startPeriodMs } = spec.healthCheck!;
      const timing = { intervalMs, timeoutMs, retries, startPeriodMs };
      spec.healthCheck = { type: "command", command: ["curl", "-f"], ...timing };
    });

    expect(formatDiff(diffSpecs(base, next))).toEqual([
      "volumes[/sock]: (none) → " +
        "{ kind: bind, hostPath: /run/docker.sock, mountPath: /sock, readOnly: false }",
      "healthCheck.type: http → command",
      "healthCheck.path: /healthz → (none)",
      "healthCheck.port: 8080 → (none)",
      'healthCheck.command: (none) → ["curl", "-f"]',
    ]);
  });

  it("treats constraints as a set: a changed one is one removed and one added", () => {
    const next = edited((spec) => {
      spec.placement.constraints = [{ key: "zone", operator: "in", values: ["eu", "us"] }];
    });

    expect(paths(diffSpecs(base, next))).toEqual([
      "placement.constraints[zone == eu]",
      "placement.constraints[zone in (eu, us)]",
    ]);
  });

  it("shows a removed health check whole, with durations in people's units", () => {
    const next = edited((spec) => {
      delete spec.healthCheck;
    });

    expect(formatDiff(diffSpecs(base, next))).toEqual([
      "healthCheck: { type: http, path: /healthz, port: 8080, intervalMs: 10 s, " +
        "timeoutMs: 2 s, retries: 3, startPeriodMs: 0 ms } → (none)",
    ]);
  });

  it("compares argv whole and quotes its items, so word boundaries show", () => {
    const next = edited((spec) => {
      spec.args = ["server.js --inspect"];
    });

    expect(formatDiff(diffSpecs(base, next))).toEqual([
      'args: ["server.js"] → ["server.js --inspect"]',
    ]);
  });

  it("orders entries as the spec orders its fields", () => {
    const next = edited((spec) => {
      spec.update.autoRollback = false;
      spec.replicas = 5;
      spec.env.MODE = "dev";
      spec.image = "berth-demo/web:3";
      spec.lb = { policy: "p2c" };
    });

    expect(paths(diffSpecs(base, next))).toEqual([
      "image",
      "env.MODE",
      "replicas",
      "update.autoRollback",
      "lb",
    ]);
  });

  it("cuts long values short in lines but keeps them whole in entries", () => {
    const long = "x".repeat(5000);
    const next = edited((spec) => {
      spec.env.BLOB = long;
    });
    const [line] = formatDiff(diffSpecs(base, next));

    expect(diffSpecs(base, next)[0]?.after).toBe(long);
    expect(line).toBe(`env.BLOB: (none) → ${"x".repeat(120)}… (5000 characters)`);
  });

  it("quotes strings that would read ambiguously", () => {
    const next = edited((spec) => {
      spec.env.MODE = " padded";
      spec.env.LOG_LEVEL = "a → b";
    });

    expect(formatDiff(diffSpecs(base, next))).toEqual([
      'env.LOG_LEVEL: info → "a → b"',
      'env.MODE: prod → " padded"',
    ]);
  });
});

describe("isEqual", () => {
  it("compares JSON-like values deeply; a field left out equals one set to undefined", () => {
    expect(isEqual({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] })).toBe(true);
    expect(isEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(isEqual([1, 2], [2, 1])).toBe(false);
    expect(isEqual({ a: 1 }, { a: "1" })).toBe(false);
    expect(isEqual([], {})).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: independent edits of `base`, each declaring exactly the paths it changes
// ---------------------------------------------------------------------------------------------

type TEdit = { paths: string[]; apply: (spec: TAppSpec) => void };

const EDITS: TEdit[] = [
  { paths: ["image"], apply: (s) => void (s.image = "ghcr.io/acme/web:2") },
  { paths: ["command"], apply: (s) => void s.command.push("--inspect") },
  { paths: ["env.MODE"], apply: (s) => void (s.env.MODE = "dev") },
  { paths: ["env.NEW_VAR"], apply: (s) => void (s.env.NEW_VAR = "1") },
  { paths: ["env.LOG_LEVEL"], apply: (s) => delete s.env.LOG_LEVEL },
  { paths: ["secrets.DB_PASSWORD"], apply: (s) => void (s.secrets.DB_PASSWORD = "pw-2-c0ffee") },
  { paths: ["secrets.NEW_SECRET"], apply: (s) => void (s.secrets.NEW_SECRET = "new-5eed5a") },
  { paths: ["secrets.API_KEY"], apply: (s) => delete s.secrets.API_KEY },
  {
    paths: ["ports[80/tcp]"],
    apply: (s) => void s.ports.unshift({ containerPort: 80, protocol: "tcp" }),
  },
  {
    paths: ["ports[8080/tcp].hostPort"],
    apply: (s) => {
      const port = s.ports.find((p) => p.containerPort === 8080);
      port!.hostPort = 28080;
    },
  },
  { paths: ["ports[9090/tcp].name"], apply: (s) => void (s.ports.at(-1)!.name = "metrics") },
  { paths: ["volumes[/data].readOnly"], apply: (s) => void (s.volumes[0]!.readOnly = true) },
  { paths: ["volumes[/ssl]"], apply: (s) => void s.volumes.pop() },
  {
    paths: ["resources.memoryLimitBytes"],
    apply: (s) => void (s.resources.memoryLimitBytes = GIB_BYTES),
  },
  { paths: ["resources.cpuLimitMillis"], apply: (s) => void (s.resources.cpuLimitMillis = 500) },
  { paths: ["replicas"], apply: (s) => void (s.replicas = 0) },
  {
    paths: ["placement.constraints[zone == eu]", "placement.constraints[zone != us]"],
    apply: (s) => void (s.placement.constraints = [{ key: "zone", operator: "!=", value: "us" }]),
  },
  { paths: ["placement.antiAffinity"], apply: (s) => void s.placement.antiAffinity.push("cache") },
  { paths: ["placement.spreadBy"], apply: (s) => delete s.placement.spreadBy },
  { paths: ["placement.strategy"], apply: (s) => void (s.placement.strategy = "binpack") },
  {
    paths: ["healthCheck.intervalMs"],
    apply: (s) => void (s.healthCheck!.intervalMs = 30_000),
  },
  { paths: ["restart.maxRestarts"], apply: (s) => void (s.restart.maxRestarts = 3) },
  { paths: ["update.autoRollback"], apply: (s) => void (s.update.autoRollback = false) },
  { paths: ["lb"], apply: (s) => void (s.lb = { policy: "least-connections" }) },
];

const arbEdits = fc.shuffledSubarray(EDITS);

function applyEdits(edits: readonly TEdit[]): TAppSpec {
  return edited((spec) => edits.forEach((edit) => edit.apply(spec)));
}

const MIRROR: Record<TDiffEntry["kind"], TDiffEntry["kind"]> = {
  added: "removed",
  removed: "added",
  changed: "changed",
};

describe("diffSpecs properties", () => {
  it("every edited spec is still valid (the edits test real specs)", () => {
    expect(ZAppSpec.safeParse(applyEdits(EDITS)).success).toBe(true);
  });

  it("finds nothing between any edited spec and its copy", () => {
    fc.assert(
      fc.property(arbEdits, (edits) => {
        const spec = applyEdits(edits);

        expect(diffSpecs(spec, spec)).toEqual([]);
        expect(diffSpecs(spec, structuredClone(spec))).toEqual([]);
      }),
    );
  });

  it("reports exactly the paths the edits touched, whatever their order", () => {
    fc.assert(
      fc.property(arbEdits, (edits) => {
        const expected = edits.flatMap((edit) => edit.paths).toSorted();

        expect(paths(diffSpecs(base, applyEdits(edits))).toSorted()).toEqual(expected);
      }),
    );
  });

  it("gives the mirror image when the specs swap places", () => {
    fc.assert(
      fc.property(arbEdits, (edits) => {
        const next = applyEdits(edits);
        const mirrored = diffSpecs(next, base).map((entry) => ({
          path: entry.path,
          kind: MIRROR[entry.kind],
          before: entry.after,
          after: entry.before,
        }));
        const byPath = (a: TDiffEntry, b: TDiffEntry) => a.path.localeCompare(b.path);

        expect(mirrored.toSorted(byPath)).toEqual(diffSpecs(base, next).toSorted(byPath));
      }),
    );
  });

  it("never shows a secret value, in entries or in lines", () => {
    fc.assert(
      fc.property(arbEdits, (edits) => {
        const next = applyEdits(edits);
        const entries = diffSpecs(base, next);
        const shown = JSON.stringify(entries) + formatDiff(entries).join("\n");
        const values = [...Object.values(base.secrets), ...Object.values(next.secrets)];
        for (const value of values) {
          expect(shown).not.toContain(value);
        }
      }),
    );
  });

  it("starts every line with its entry's path", () => {
    fc.assert(
      fc.property(arbEdits, (edits) => {
        const entries = diffSpecs(base, applyEdits(edits));
        const lines = formatDiff(entries);

        expect(lines).toHaveLength(entries.length);
        lines.forEach((line, index) => {
          expect(line.startsWith(`${entries[index]?.path}: `)).toBe(true);
        });
      }),
    );
  });
});
