import { describe, expect, it } from "vitest";

import { compileSnapshot } from "./cluster";
import { filterNodes, prepareRequest } from "./filter";
import { fakeNode, fakeReplica, fakeRequest } from "./harness";
import {
  STRATEGY_WEIGHTS,
  createNormaliser,
  normaliseScores,
  normalisedScore,
  weightsFor,
} from "./normalise";
import { scoreNodes } from "./scorers";
import { SCORER_NAMES, type TPlacementRequest } from "./types";

function normalised(request: TPlacementRequest) {
  const snapshot = {
    nodes: [fakeNode("a", { cpuMillis: 2000, memoryBytes: 2000 }), fakeNode("b"), fakeNode("c")],
    replicas: [
      fakeReplica("r1", "web", "a", { cpuMillis: 500, memoryBytes: 500 }),
      fakeReplica("r2", "web", "b"),
      fakeReplica("r3", "web", "b"),
    ],
  };
  const state = compileSnapshot(snapshot);
  const ctx = prepareRequest(state, request, 1);
  filterNodes(ctx);
  const normaliser = createNormaliser(weightsFor(request));
  normaliseScores(ctx, normaliser, scoreNodes(ctx));
  const score = (name: (typeof SCORER_NAMES)[number], k: number) =>
    normalisedScore(ctx, normaliser, SCORER_NAMES.indexOf(name), k);

  return { ctx, combined: Array.from(state.scratch.combined.subarray(0, 3)), score };
}

const request = fakeRequest({ cpuMillis: 500, memoryBytes: 500 });

describe("normalise stage", () => {
  it("maps fraction scorers by ×100", () => {
    const { score } = normalised(request);

    expect(score("binpack", 0)).toBeCloseTo(75);
    expect(score("leastAllocated", 0)).toBeCloseTo(50);
  });

  it("maps counts to 100 · (max − n) / max over the feasible nodes", () => {
    const { score } = normalised(request);

    // Replicas of web on a, b, c: 1, 2, 0.
    expect(score("nodeSpread", 0)).toBeCloseTo(50);
    expect(score("nodeSpread", 1)).toBeCloseTo(0);
    expect(score("nodeSpread", 2)).toBeCloseTo(100);
  });

  it("combines by the strategy's weights into 0..100", () => {
    const { combined, score } = normalised(request);
    const weights = STRATEGY_WEIGHTS.binpack;
    const names = ["binpack", "balanced", "nodeSpread"] as const;
    const total = names.reduce((sum, name) => sum + weights[name], 0);
    const expected = names.reduce((sum, name) => sum + weights[name] * score(name, 0), 0) / total;

    expect(combined[0]).toBeCloseTo(expected);
    for (const value of combined) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
  });

  it("leaves label spread out when the app names no spread label", () => {
    expect(weightsFor(request).labelSpread).toBe(0);
    expect(
      weightsFor({ ...request, placement: { ...request.placement, spreadBy: "zone" } }).labelSpread,
    ).toBeGreaterThan(0);
  });
});
