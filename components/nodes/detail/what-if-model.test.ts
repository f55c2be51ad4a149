import { describe, expect, it } from "vitest";

import { type TWhatIf, whatIfSummary } from "./what-if-model";

const move = (replicaId: string): TWhatIf["moves"][number] => ({
  replicaId,
  slot: 0,
  appId: "a",
  appName: "web",
  toNodeId: "n2",
  toNodeName: "lab-2",
  score: 80,
});

const stranded = (replicaId: string): TWhatIf["unplaced"][number] => ({
  replicaId,
  slot: 1,
  appId: "a",
  appName: "web",
  message: "no node has 2 CPUs free",
});

describe("whatIfSummary", () => {
  it("says nothing moves when no replica runs on the node", () => {
    expect(whatIfSummary({ displaced: 0, moves: [], unplaced: [] })).toMatch(/moves nothing/);
  });

  it("counts the replicas that would move", () => {
    expect(whatIfSummary({ displaced: 2, moves: [move("1"), move("2")], unplaced: [] })).toBe(
      "2 replicas: 2 would move",
    );
  });

  it("counts the replicas that could not be placed too", () => {
    const result = { displaced: 1, moves: [], unplaced: [stranded("1")] };

    expect(whatIfSummary(result)).toBe("1 replica: 0 would move, 1 could not be placed");
  });
});
