import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { GIB_BYTES, fakeNode, fakeReplica, fakeSpec, verifyRepack } from "./harness";
import { nodesLowerBound } from "./lower-bound";
import { planRepack } from "./repack";
import { arbSnapshot, arbSpecs } from "./test-arbitraries";
import { type TSnapshot } from "./types";

const spec = fakeSpec;

function overcommitted(snapshot: TSnapshot): boolean {
  return snapshot.nodes.some((node) => {
    const here = snapshot.replicas.filter((replica) => replica.nodeId === node.id);
    const cpu = here.reduce((sum, replica) => sum + replica.cpuMillis, 0);
    const memory = here.reduce((sum, replica) => sum + replica.memoryBytes, 0);

    return cpu > node.cpuMillis || memory > node.memoryBytes;
  });
}

const HALF = { cpuMillis: 2000, memoryBytes: 4 * GIB_BYTES };
const QUARTER = { cpuMillis: 1000, memoryBytes: 2 * GIB_BYTES };

describe("nodesLowerBound", () => {
  it("is max over resources of ceil(total / capacity) for identical nodes", () => {
    const nodes = Array.from({ length: 10 }, () => ({ cpuMillis: 4000, memoryBytes: 8 }));
    const requests = [
      { cpuMillis: 3000, memoryBytes: 1 },
      { cpuMillis: 3000, memoryBytes: 1 },
      { cpuMillis: 100, memoryBytes: 7 },
    ];

    expect(nodesLowerBound(nodes, requests)).toBe(2);
    expect(nodesLowerBound(nodes.slice(0, 1), requests)).toBe(Infinity);
  });

  it("counts the largest nodes first when sizes differ", () => {
    const nodes = [
      { cpuMillis: 1000, memoryBytes: 1 },
      { cpuMillis: 8000, memoryBytes: 1 },
    ];

    expect(nodesLowerBound(nodes, [{ cpuMillis: 5000, memoryBytes: 0 }])).toBe(1);
  });
});

describe("planRepack", () => {
  it("empties half-used nodes into each other", () => {
    const snapshot = {
      nodes: ["a", "b", "c", "d"].map((id) => fakeNode(id)),
      replicas: ["a", "b", "c", "d"].map((node, i) => fakeReplica(`r${i}`, "web", node, HALF)),
    };
    const plan = planRepack(snapshot, [spec("web")]);

    expect(plan.lowerBound).toBe(2);
    expect(plan.nodesUsedBefore).toBe(4);
    expect(plan.nodesUsed).toBe(2);
    expect(plan.nodesFreed).toHaveLength(2);
    expect(plan.moves).toHaveLength(2);
    expect(verifyRepack(snapshot, [spec("web")], plan)).toEqual([]);
  });

  it("pairs a CPU-heavy replica with a memory-heavy one", () => {
    const cpuHeavy = { cpuMillis: 3000, memoryBytes: 1 * GIB_BYTES };
    const memoryHeavy = { cpuMillis: 1000, memoryBytes: 7 * GIB_BYTES };
    const snapshot = {
      nodes: ["a", "b", "c", "d"].map((id) => fakeNode(id)),
      replicas: [
        fakeReplica("c1", "cpu", "a", cpuHeavy),
        fakeReplica("c2", "cpu", "b", cpuHeavy),
        fakeReplica("m1", "mem", "c", memoryHeavy),
        fakeReplica("m2", "mem", "d", memoryHeavy),
      ],
    };
    const specs = [spec("cpu"), spec("mem")];
    const plan = planRepack(snapshot, specs);

    expect(plan.nodesUsed).toBe(2);
    expect(verifyRepack(snapshot, specs, plan)).toEqual([]);
  });

  it("leaves replicas of apps without a spec, and their nodes, alone", () => {
    const snapshot = {
      nodes: ["a", "b"].map((id) => fakeNode(id)),
      replicas: [
        fakeReplica("r1", "unknown", "a", QUARTER),
        fakeReplica("r2", "web", "b", QUARTER),
      ],
    };
    const plan = planRepack(snapshot, [spec("web")]);

    expect(plan.pinnedReplicas).toBe(1);
    expect(plan.moves).toEqual([{ replicaId: "r2", appId: "web", from: "b", to: "a" }]);
  });

  it("never moves to a cordoned node or one failing the app's constraints", () => {
    const snapshot = {
      nodes: [
        fakeNode("cordoned", { availability: "cordoned" }),
        fakeNode("us", { labels: { zone: "us" } }),
        fakeNode("eu1", { labels: { zone: "eu" } }),
        fakeNode("eu2", { labels: { zone: "eu" } }),
      ],
      replicas: [
        fakeReplica("r1", "web", "eu1", QUARTER),
        fakeReplica("r2", "web", "eu2", QUARTER),
        fakeReplica("r3", "db", "us", HALF),
      ],
    };
    const specs = [
      spec("web", {
        placement: {
          ...spec("web").placement,
          constraints: [{ key: "zone", operator: "==", value: "eu" }],
        },
      }),
      spec("db"),
    ];
    const plan = planRepack(snapshot, specs);

    expect(plan.nodesUsed).toBe(2);
    expect(plan.moves.every((move) => move.to.startsWith("eu") || move.replicaId === "r3")).toBe(
      true,
    );
    expect(verifyRepack(snapshot, specs, plan)).toEqual([]);
  });

  it("keeps max per node while packing", () => {
    const snapshot = {
      nodes: ["a", "b", "c"].map((id) => fakeNode(id)),
      replicas: ["a", "b", "c"].map((node, i) => fakeReplica(`r${i}`, "web", node, QUARTER)),
    };
    const specs = [spec("web", { placement: { ...spec("web").placement, maxPerNode: 2 } })];
    const plan = planRepack(snapshot, specs);

    expect(plan.nodesUsed).toBe(2);
    expect(verifyRepack(snapshot, specs, plan)).toEqual([]);
  });
});

describe("planRepack properties", () => {
  it("moves apply one at a time: each fits its target, with every rule, at its turn", () => {
    fc.assert(
      fc.property(arbSnapshot, arbSpecs, (snapshot, specs) => {
        const plan = planRepack(snapshot, specs);

        expect(verifyRepack(snapshot, specs, plan)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("never uses more nodes than before, nor fewer than the lower bound", () => {
    fc.assert(
      fc.property(arbSnapshot, arbSpecs, (snapshot, specs) => {
        const plan = planRepack(snapshot, specs);

        expect(plan.nodesUsed).toBeLessThanOrEqual(plan.nodesUsedBefore);
        if (plan.nodesUsed === plan.nodesUsedBefore) {
          expect(plan.moves).toEqual([]);
        }
        // The bound assumes no node is over capacity; random snapshots may start so.
        if (!overcommitted(snapshot)) {
          expect(plan.nodesUsed).toBeGreaterThanOrEqual(plan.lowerBound);
        }
        expect(plan.nodesFreed.length).toBeGreaterThanOrEqual(
          plan.nodesUsedBefore - plan.nodesUsed,
        );
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(arbSnapshot, arbSpecs, (snapshot, specs) => {
        expect(planRepack(snapshot, specs)).toEqual(planRepack(snapshot, specs));
      }),
      { numRuns: 100 },
    );
  });
});
