import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  GIB_BYTES,
  Harness,
  MIB_BYTES,
  fakeNode,
  fakeReplica,
  fakeRequest,
  verifyPlan,
} from "./harness";
import { planPlacement } from "./plan";
import { arbRequest, arbSnapshot } from "./test-arbitraries";
import { REJECT_REASONS, type TPlacementRequest, type TSnapshot } from "./types";

const rules = fakeRequest().placement;

function spread(overrides: Partial<TPlacementRequest["placement"]> = {}) {
  return { ...rules, strategy: "spread" as const, ...overrides };
}

function nodesOf(snapshot: TSnapshot, request: TPlacementRequest, seed = 1): string[] {
  return planPlacement(snapshot, request, seed).plan.placements.map((p) => p.nodeId);
}

describe("planPlacement", () => {
  it("spreads 3 replicas over 3 equal nodes, one each", () => {
    const snapshot = { nodes: [fakeNode("a"), fakeNode("b"), fakeNode("c")], replicas: [] };

    expect(nodesOf(snapshot, fakeRequest({ replicas: 3, placement: spread() })).sort()).toEqual([
      "a",
      "b",
      "c",
    ]);
  });

  it("spreads across zones before nodes when spreadBy is set", () => {
    const snapshot = {
      nodes: [
        fakeNode("a1", { labels: { zone: "a" } }),
        fakeNode("a2", { labels: { zone: "a" } }),
        fakeNode("b1", { labels: { zone: "b" } }),
      ],
      replicas: [fakeReplica("r1", "web", "a1")],
    };
    const placed = nodesOf(snapshot, fakeRequest({ placement: spread({ spreadBy: "zone" }) }));

    expect(placed).toEqual(["b1"]);
  });

  it("binpack fills a used node before opening an empty one", () => {
    const snapshot = {
      nodes: [fakeNode("empty"), fakeNode("used"), fakeNode("empty2")],
      replicas: [fakeReplica("r1", "db", "used", { cpuMillis: 2000, memoryBytes: 4 * GIB_BYTES })],
    };

    expect(nodesOf(snapshot, fakeRequest())).toEqual(["used"]);
  });

  it("binpack puts an app's replicas on different used nodes, fullest first", () => {
    const busy = { cpuMillis: 2000, memoryBytes: 4 * GIB_BYTES };
    const snapshot = {
      nodes: [fakeNode("empty"), fakeNode("fuller"), fakeNode("used")],
      replicas: [
        fakeReplica("r1", "db", "fuller", { cpuMillis: 3000, memoryBytes: 6 * GIB_BYTES }),
        fakeReplica("r2", "db", "used", busy),
      ],
    };

    expect(nodesOf(snapshot, fakeRequest({ replicas: 2 }))).toEqual(["fuller", "used"]);
  });

  it("counts replicas placed earlier in the same plan against capacity", () => {
    const snapshot = { nodes: [fakeNode("a", { cpuMillis: 1000 }), fakeNode("b")], replicas: [] };
    const placed = nodesOf(snapshot, fakeRequest({ replicas: 3, cpuMillis: 600 }));

    expect(placed.filter((id) => id === "a")).toHaveLength(1);
  });

  it("keeps a fixed host port to one replica per node", () => {
    const snapshot = { nodes: [fakeNode("a"), fakeNode("b")], replicas: [] };
    const result = planPlacement(
      snapshot,
      fakeRequest({ replicas: 3, hostPorts: [{ port: 8080, protocol: "tcp" }] }),
      1,
    );

    expect(result.plan.placements.map((p) => p.nodeId).sort()).toEqual(["a", "b"]);
    expect(result.plan.unplaced[0]?.reasonCounts["host-port-conflict"]).toBe(2);
  });

  it("explains a failure as counts per reason that add up to the nodes", () => {
    const snapshot = {
      nodes: [
        fakeNode("eu1", { labels: { zone: "eu" }, memoryBytes: 256 * MIB_BYTES }),
        fakeNode("eu2", { labels: { zone: "eu" }, memoryBytes: 256 * MIB_BYTES }),
        fakeNode("eu3", { labels: { zone: "eu" }, memoryBytes: 256 * MIB_BYTES }),
        fakeNode("us1", { labels: { zone: "us" } }),
        fakeNode("us2", { labels: { zone: "us" } }),
      ],
      replicas: [],
    };
    const request = fakeRequest({
      placement: { ...rules, constraints: [{ key: "zone", operator: "==", value: "eu" }] },
    });
    const result = planPlacement(snapshot, request, 1);

    expect(result.plan.placements).toEqual([]);
    expect(result.plan.unplaced[0]?.message).toBe(
      "0 of 5 nodes fit: 3 lack 512 MiB of free memory, 2 fail zone == eu",
    );
    expect(result.explanation.replicas[0]?.constraintCounts).toEqual({ "zone == eu": 2 });
  });

  it("explains a placement with the top candidates' scores by scorer", () => {
    const snapshot = {
      nodes: [fakeNode("a"), fakeNode("b"), fakeNode("c"), fakeNode("d")],
      replicas: [],
    };
    const result = planPlacement(snapshot, fakeRequest(), 1);
    const explanation = result.explanation.replicas[0]!;

    expect(explanation.candidates).toHaveLength(3);
    expect(explanation.candidates[0]?.nodeId).toBe(result.plan.placements[0]?.nodeId);
    expect(explanation.candidates[0]?.scoresByScorer.binpack).toBeGreaterThan(0);
    expect(explanation.message).toMatch(/^placed on \w+ \(score [\d.]+\); 4 of 4 nodes fit$/);
  });

  it("plans several apps in turn against one state (harness)", () => {
    const harness = new Harness({ nodes: [fakeNode("a", { cpuMillis: 1000 })], replicas: [] });
    harness.place(fakeRequest({ appId: "one", cpuMillis: 800 }));
    const second = harness.place(fakeRequest({ appId: "two", cpuMillis: 800 }));

    expect(second.plan.unplaced[0]?.reasonCounts["insufficient-cpu"]).toBe(1);
  });

  it("refuses nonsense requests", () => {
    const snapshot = { nodes: [fakeNode("a")], replicas: [] };

    expect(() => planPlacement(snapshot, fakeRequest({ replicas: -1 }), 1)).toThrow(/replicas/);
    expect(() => planPlacement(snapshot, fakeRequest({ cpuMillis: Number.NaN }), 1)).toThrow();
  });
});

describe("planPlacement properties", () => {
  const property = (
    check: (snapshot: TSnapshot, request: TPlacementRequest, seed: number) => void,
  ) => fc.assert(fc.property(arbSnapshot, arbRequest, fc.integer(), check), { numRuns: 300 });

  it("never breaks a placement rule", () => {
    property((snapshot, request, seed) => {
      expect(verifyPlan(snapshot, request, planPlacement(snapshot, request, seed))).toEqual([]);
    });
  });

  it("accounts for every replica: placed + unplaced = requested", () => {
    property((snapshot, request, seed) => {
      const { plan } = planPlacement(snapshot, request, seed);
      const indexes = [...plan.placements, ...plan.unplaced]
        .map((r) => r.replicaIndex)
        .sort((a, b) => a - b);

      expect(indexes).toEqual(Array.from({ length: request.replicas }, (_, i) => i));
    });
  });

  it("gives the same plan for the same seed, however the nodes are listed", () => {
    property((snapshot, request, seed) => {
      const first = planPlacement(snapshot, request, seed);
      const reversed = { ...snapshot, nodes: [...snapshot.nodes].reverse() };

      expect(planPlacement(snapshot, request, seed)).toEqual(first);
      expect(planPlacement(reversed, request, seed).plan).toEqual(first.plan);
    });
  });

  it("explains every replica with counts that add up to the nodes considered", () => {
    property((snapshot, request, seed) => {
      const { explanation } = planPlacement(snapshot, request, seed);

      expect(explanation.replicas).toHaveLength(request.replicas);
      for (const replica of explanation.replicas) {
        const rejected = REJECT_REASONS.reduce(
          (sum, reason) => sum + replica.reasonCounts[reason],
          0,
        );

        expect(replica.nodesConsidered).toBe(snapshot.nodes.length);
        expect(rejected + replica.nodesFeasible).toBe(replica.nodesConsidered);
        const constraint = Object.values(replica.constraintCounts).reduce((a, b) => a + b, 0);

        expect(constraint).toBe(replica.reasonCounts["label-constraint"]);
      }
    });
  });

  it("places a replica whenever some node fits it (no false 'unplaced')", () => {
    property((snapshot, request, seed) => {
      const { plan, explanation } = planPlacement(snapshot, request, seed);
      for (const unplaced of plan.unplaced) {
        expect(explanation.replicas[unplaced.replicaIndex]?.nodesFeasible).toBe(0);
      }
    });
  });

  it("keeps scores within 0..100", () => {
    property((snapshot, request, seed) => {
      for (const placement of planPlacement(snapshot, request, seed).plan.placements) {
        expect(placement.score).toBeGreaterThanOrEqual(0);
        expect(placement.score).toBeLessThanOrEqual(100 + 1e-9);
      }
    });
  });

  it("spread puts at most ceil(k / n) replicas on each of n equal nodes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (n, k, seed) => {
          const snapshot = {
            nodes: Array.from({ length: n }, (_, i) =>
              fakeNode(`n${i}`, { cpuMillis: 64_000, memoryBytes: 64 * GIB_BYTES }),
            ),
            replicas: [],
          };
          const placed = nodesOf(snapshot, fakeRequest({ replicas: k, placement: spread() }), seed);
          const perNode = new Map<string, number>();
          placed.forEach((id) => perNode.set(id, (perNode.get(id) ?? 0) + 1));

          expect(Math.max(...perNode.values())).toBeLessThanOrEqual(Math.ceil(k / n));
        },
      ),
    );
  });
});
