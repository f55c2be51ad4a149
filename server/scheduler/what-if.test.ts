import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { GIB_BYTES, fakeNode, fakeReplica, fakeSpec } from "./harness";
import { arbSnapshot, arbSpecs } from "./test-arbitraries";
import { whatIfNodeDies } from "./what-if";

const spec = fakeSpec;

describe("whatIfNodeDies", () => {
  const snapshot = {
    nodes: [fakeNode("a"), fakeNode("b"), fakeNode("c", { cpuMillis: 1000 })],
    replicas: [
      fakeReplica("w1", "web", "a"),
      fakeReplica("w2", "web", "a"),
      fakeReplica("w3", "web", "b"),
      fakeReplica("big", "db", "a", { cpuMillis: 3500, memoryBytes: 2 * GIB_BYTES }),
      fakeReplica("x", "mystery", "a"),
    ],
  };
  const specs = [
    spec("web", { placement: { ...spec("web").placement, strategy: "spread" } }),
    spec("db", { cpuMillis: 3500, memoryBytes: 2 * GIB_BYTES }),
  ];

  it("re-places the node's replicas elsewhere, with each app's rules", () => {
    const result = whatIfNodeDies(snapshot, "a", specs, 1);

    expect(result.displaced).toBe(4);
    expect(result.unknownApps).toEqual(["mystery"]);
    expect(result.moves.map((move) => move.to)).not.toContain("a");
    expect(result.moves.find((move) => move.replicaId === "big")?.to).toBe("b");
    // db goes first (largest first) and fills b's CPU, so both web replicas land on c.
    const web = result.moves.filter((move) => move.appId === "web").map((move) => move.to);

    expect(web).toEqual(["c", "c"]);
  });

  it("reports what cannot be re-placed, with reasons", () => {
    const tight = { ...snapshot, nodes: [fakeNode("a"), fakeNode("b", { cpuMillis: 1000 })] };
    const result = whatIfNodeDies(tight, "a", specs, 1);
    const stranded = result.unplaced.find((entry) => entry.replicaId === "big");

    expect(stranded?.reasonCounts).toMatchObject({ "node-unreachable": 1, "insufficient-cpu": 1 });
    expect(stranded?.message).toBe(
      "0 of 2 nodes fit: 1 is unreachable, 1 lacks 3.5 CPU of free CPU",
    );
  });

  it("refuses an unknown node", () => {
    expect(() => whatIfNodeDies(snapshot, "nope", specs, 1)).toThrow(/not in the snapshot/);
  });

  it("accounts for every displaced replica, never on the dead node, same seed same answer", () => {
    fc.assert(
      fc.property(arbSnapshot, arbSpecs, fc.integer(), (snapshot, appSpecs, seed) => {
        const nodeId = snapshot.nodes[0]!.id;
        const result = whatIfNodeDies(snapshot, nodeId, appSpecs, seed);
        const unknown = snapshot.replicas.filter(
          (r) => r.nodeId === nodeId && result.unknownApps.includes(r.appId),
        ).length;

        expect(result.moves.length + result.unplaced.length + unknown).toBe(result.displaced);
        expect(result.moves.every((move) => move.to !== nodeId)).toBe(true);
        expect(whatIfNodeDies(snapshot, nodeId, appSpecs, seed)).toEqual(result);
      }),
      { numRuns: 300 },
    );
  });
});
