import { describe, expect, it } from "vitest";

import { compileSnapshot } from "./cluster";
import { filterNodes, prepareRequest } from "./filter";
import { fakeNode, fakeRequest } from "./harness";
import { selectNodes } from "./select";

/** Selects among `count` identical nodes after setting their combined scores by hand. */
function select(scores: number[], seed: number, replicaIndex = 0, ids?: string[]) {
  const nodeIds = ids ?? scores.map((_, i) => `n${i}`);
  const state = compileSnapshot({ nodes: nodeIds.map((id) => fakeNode(id)), replicas: [] });
  const ctx = prepareRequest(state, fakeRequest(), seed);
  filterNodes(ctx);
  // Feasible positions follow node id order; give each node its score by id.
  for (let k = 0; k < ctx.feasibleCount; k++) {
    const id = state.nodeIds[ctx.feasible[k]!]!;
    state.scratch.combined[k] = scores[nodeIds.indexOf(id)]!;
  }

  return selectNodes(ctx, replicaIndex, 3).map((k) => state.nodeIds[ctx.feasible[k]!]);
}

describe("select stage", () => {
  it("ranks by score, best first, keeping the top three", () => {
    expect(select([10, 50, 30, 40], 1)).toEqual(["n1", "n3", "n2"]);
  });

  it("breaks ties by the seed, the same way every time", () => {
    const ties = [7, 7, 7, 7, 7, 7, 7, 7];
    const first = select(ties, 42);

    expect(select(ties, 42)).toEqual(first);
    const winners = new Set(Array.from({ length: 32 }, (_, seed) => select(ties, seed)[0]));

    expect(winners.size).toBeGreaterThan(1);
  });

  it("does not depend on the order nodes are listed in", () => {
    const ids = ["a", "b", "c", "d", "e"];
    const scores = [5, 9, 9, 9, 1];
    const reversed = [...ids].reverse();
    const reversedScores = reversed.map((id) => scores[ids.indexOf(id)]!);

    expect(select(reversedScores, 3, 0, reversed)).toEqual(select(scores, 3, 0, ids));
  });

  it("never prefers a lower score over a higher one", () => {
    for (let seed = 0; seed < 50; seed++) {
      expect(select([1, 2, 3, 3, 2, 1], seed).slice(0, 2).sort()).toEqual(["n2", "n3"]);
    }
  });
});
