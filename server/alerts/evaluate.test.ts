import { describe, expect, it } from "vitest";

import {
  type TNodeState,
  type TReplicaState,
  type TRuleInput,
  type TSnapshot,
  type TStatPoint,
  evaluate,
  subjectsOf,
  windowOf,
} from "./evaluate";

const NOW = Date.parse("2026-01-01T12:00:00Z");

function rule(overrides: Partial<TRuleInput> = {}): TRuleInput {
  return {
    id: "rule-1",
    name: "Node unreachable",
    kind: "nodeUnreachable",
    threshold: null,
    forSeconds: 0,
    appId: null,
    severity: "error",
    ...overrides,
  };
}

function node(health: TNodeState["health"], id = "n1"): TNodeState {
  return { id, name: `node-${id}`, health };
}

function replica(overrides: Partial<TReplicaState> = {}): TReplicaState {
  return {
    id: "r1",
    appId: "a1",
    appName: "web",
    slot: 0,
    nodeId: "n1",
    nodeName: "node-n1",
    state: "running",
    health: "none",
    restartCount: 0,
    lastError: null,
    healthMessage: null,
    ...overrides,
  };
}

function snapshot(parts: Partial<TSnapshot> = {}): TSnapshot {
  return { nodes: [], replicas: [], stats: new Map(), ...parts };
}

/** Points every 10 s back from NOW, newest first. */
function points(values: { cpu?: number; memory?: number }[]): TStatPoint[] {
  return values.map((value, i) => ({
    at: new Date(NOW - i * 10_000),
    cpuPercent: value.cpu ?? 0,
    memoryBytes: Math.round(((value.memory ?? 0) / 100) * 1000),
    memoryLimitBytes: 1000,
  }));
}

describe("subjectsOf", () => {
  it("finds unreachable nodes only", () => {
    const subjects = subjectsOf(
      rule(),
      snapshot({ nodes: [node("ready"), node("unreachable", "n2")] }),
      NOW,
    );

    expect(subjects.map((s) => s.key)).toEqual(["node:n2"]);
    expect(subjects[0]?.message).toBe("node node-n2 is unreachable");
  });

  it("finds failed, unhealthy, unplaced and looping replicas by kind", () => {
    const state = snapshot({
      replicas: [
        replica({ id: "failed", state: "failed", lastError: "exit code 1" }),
        replica({ id: "sick", health: "unhealthy", healthMessage: "HTTP 500" }),
        replica({ id: "lost", state: "unplaced", nodeId: null, lastError: "no node has 8 GiB" }),
        replica({ id: "loop", state: "failed", restartCount: 3 }),
        replica({ id: "ok" }),
      ],
    });
    const keys = (kind: TRuleInput["kind"], threshold: number | null = null) =>
      subjectsOf(rule({ kind, threshold }), state, NOW).map((s) => s.key);

    expect(keys("replicaExited")).toEqual(["replica:failed", "replica:loop"]);
    expect(keys("replicaUnhealthy")).toEqual(["replica:sick"]);
    expect(keys("replicaUnplaced")).toEqual(["replica:lost"]);
    expect(keys("restartLoop")).toEqual(["replica:loop"]);
    expect(keys("restartLoop", 4)).toEqual([]);
  });

  it("keeps to the rule's app", () => {
    const state = snapshot({
      replicas: [
        replica({ id: "x", appId: "a1", state: "unplaced" }),
        replica({ id: "y", appId: "a2", state: "unplaced" }),
      ],
    });
    const subjects = subjectsOf(rule({ kind: "replicaUnplaced", appId: "a2" }), state, NOW);

    expect(subjects.map((s) => s.key)).toEqual(["replica:y"]);
  });

  it("fires CPU only when every point of the window is above the threshold", () => {
    const cpu = rule({ kind: "cpuAbove", threshold: 80, forSeconds: 30 });
    const busy = snapshot({
      replicas: [replica()],
      stats: new Map([["r1", points([{ cpu: 95 }, { cpu: 90 }, { cpu: 85 }, { cpu: 10 }])]]),
    });
    const dipped = snapshot({
      replicas: [replica()],
      stats: new Map([["r1", points([{ cpu: 95 }, { cpu: 50 }, { cpu: 85 }])]]),
    });

    expect(subjectsOf(cpu, busy, NOW).map((s) => s.key)).toEqual(["replica:r1"]);
    expect(subjectsOf(cpu, busy, NOW)[0]?.message).toContain("at least 85%");
    expect(subjectsOf(cpu, dipped, NOW)).toEqual([]);
  });

  it("needs enough points to cover the window", () => {
    const cpu = rule({ kind: "cpuAbove", threshold: 80, forSeconds: 60 });
    const fresh = snapshot({
      replicas: [replica()],
      stats: new Map([["r1", points([{ cpu: 99 }])]]),
    });

    expect(subjectsOf(cpu, fresh, NOW)).toEqual([]);
    expect(windowOf(points([{ cpu: 1 }]), 0, NOW)).toHaveLength(1);
  });

  it("reads memory as a percent of the limit, and skips unlimited containers", () => {
    const memory = rule({ kind: "memoryAbove", threshold: 90, forSeconds: 20 });
    const full = snapshot({
      replicas: [replica()],
      stats: new Map([["r1", points([{ memory: 95 }, { memory: 92 }])]]),
    });
    const unlimited = snapshot({
      replicas: [replica()],
      stats: new Map([
        [
          "r1",
          points([{ memory: 95 }, { memory: 92 }]).map((p) => ({ ...p, memoryLimitBytes: 0 })),
        ],
      ]),
    });

    expect(subjectsOf(memory, full, NOW)).toHaveLength(1);
    expect(subjectsOf(memory, unlimited, NOW)).toEqual([]);
  });
});

describe("evaluate", () => {
  const down = snapshot({ nodes: [node("unreachable")] });
  const up = snapshot({ nodes: [node("ready")] });

  it("fires at once with no wait, and not again while open", () => {
    const first = evaluate({
      rules: [rule()],
      snapshot: down,
      open: [],
      pendingSince: new Map(),
      now: NOW,
    });

    expect(first.fire.map((f) => f.subject.key)).toEqual(["node:n1"]);
    const open = [{ id: "al-1", ruleId: "rule-1", subjectKey: "node:n1" }];
    const again = evaluate({
      rules: [rule()],
      snapshot: down,
      open,
      pendingSince: new Map(),
      now: NOW,
    });

    expect(again.fire).toEqual([]);
    expect(again.resolve).toEqual([]);
  });

  it("waits forSeconds of unbroken holding before firing", () => {
    const slow = rule({ forSeconds: 10 });
    let pendingSince = new Map<string, number>();
    const fired: number[] = [];
    for (let t = 0; t <= 12_000; t += 2000) {
      const result = evaluate({
        rules: [slow],
        snapshot: down,
        open: [],
        pendingSince,
        now: NOW + t,
      });
      pendingSince = result.pendingSince;
      if (result.fire.length > 0) {
        fired.push(t);
      }
    }

    expect(fired[0]).toBe(10_000);
  });

  it("never fires a flapping condition that breaks before forSeconds", () => {
    const slow = rule({ forSeconds: 10 });
    let pendingSince = new Map<string, number>();
    for (let t = 0; t <= 60_000; t += 2000) {
      const state = (t / 2000) % 4 === 3 ? up : down;
      const result = evaluate({
        rules: [slow],
        snapshot: state,
        open: [],
        pendingSince,
        now: NOW + t,
      });
      pendingSince = result.pendingSince;

      expect(result.fire).toEqual([]);
    }
  });

  it("resolves an open alert when its condition clears", () => {
    const open = [{ id: "al-1", ruleId: "rule-1", subjectKey: "node:n1" }];
    const result = evaluate({
      rules: [rule()],
      snapshot: up,
      open,
      pendingSince: new Map(),
      now: NOW,
    });

    expect(result.resolve).toEqual([{ alert: open[0], reason: "condition cleared" }]);
  });

  it("resolves alerts of a disabled or deleted rule", () => {
    const open = [{ id: "al-1", ruleId: "gone", subjectKey: "node:n1" }];
    const result = evaluate({
      rules: [rule()],
      snapshot: down,
      open,
      pendingSince: new Map(),
      now: NOW,
    });

    expect(result.resolve[0]?.reason).toBe("rule disabled or deleted");
    expect(result.fire.map((f) => f.rule.id)).toEqual(["rule-1"]);
  });

  it("opens one alert per subject", () => {
    const two = snapshot({ nodes: [node("unreachable", "n1"), node("unreachable", "n2")] });
    const result = evaluate({
      rules: [rule()],
      snapshot: two,
      open: [],
      pendingSince: new Map(),
      now: NOW,
    });

    expect(result.fire.map((f) => f.subject.key)).toEqual(["node:n1", "node:n2"]);
  });
});
