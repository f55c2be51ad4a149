import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { compileSnapshot } from "./cluster";
import { filterNodes, prepareRequest } from "./filter";
import { fakeNode, fakeReplica, fakeRequest } from "./harness";
import { balancedScore, binpackScore, leastAllocatedScore, scoreNodes } from "./scorers";

const fraction = fc.double({ min: 0, max: 1, noNaN: true });

describe("scorer formulas", () => {
  it("binpack = 1 − (fc² + fm²) / 2", () => {
    expect(binpackScore(0, 0)).toBe(1);
    expect(binpackScore(1, 1)).toBe(0);
    expect(binpackScore(0.5, 0.5)).toBeCloseTo(0.75);
  });

  it("binpack prefers fuller nodes, and for equal free space an even split", () => {
    fc.assert(
      fc.property(fraction, fraction, fraction, (fc1, fm, more) => {
        expect(binpackScore(fc1, fm)).toBeGreaterThanOrEqual(
          binpackScore(Math.min(1, fc1 + more), fm),
        );
      }),
    );

    expect(binpackScore(0.2, 0.2)).toBeGreaterThan(binpackScore(0.4, 0));
  });

  it("leastAllocated = (fc + fm) / 2", () => {
    expect(leastAllocatedScore(1, 0)).toBe(0.5);
    expect(leastAllocatedScore(0.25, 0.75)).toBe(0.5);
  });

  it("balanced = 1 − |fc − fm|", () => {
    expect(balancedScore(0.3, 0.3)).toBe(1);
    expect(balancedScore(1, 0)).toBe(0);
    expect(balancedScore(0.2, 0.6)).toBeCloseTo(0.6);
  });

  it("every formula stays within 0..1 on free fractions", () => {
    fc.assert(
      fc.property(fraction, fraction, (fc1, fm) => {
        for (const score of [binpackScore, leastAllocatedScore, balancedScore]) {
          const value = score(fc1, fm);

          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

describe("score stage", () => {
  it("writes raw rows per feasible node, after the replica is placed", () => {
    const snapshot = {
      nodes: [fakeNode("a", { cpuMillis: 2000, memoryBytes: 2000 }), fakeNode("b")],
      replicas: [fakeReplica("r1", "web", "a", { cpuMillis: 500, memoryBytes: 500 })],
    };
    const state = compileSnapshot(snapshot);
    const ctx = prepareRequest(state, fakeRequest({ cpuMillis: 500, memoryBytes: 500 }), 1);
    filterNodes(ctx);
    const maxima = scoreNodes(ctx);
    const [binpack, least, balanced, nodeSpread] = state.scratch.raw;

    // Node a: 1000 of 2000 left in both resources, so fc = fm = 0.5.
    expect(binpack![0]).toBeCloseTo(0.75);
    expect(least![0]).toBeCloseTo(0.5);
    expect(balanced![0]).toBeCloseTo(1);
    expect(nodeSpread![0]).toBe(1);
    expect(nodeSpread![1]).toBe(0);
    expect(maxima).toEqual({ nodeSpread: 1, labelSpread: 0 });
  });

  it("counts the app's replicas per spreadBy label value", () => {
    const snapshot = {
      nodes: [
        fakeNode("a1", { labels: { zone: "a" } }),
        fakeNode("a2", { labels: { zone: "a" } }),
        fakeNode("b1", { labels: { zone: "b" } }),
        fakeNode("none"),
      ],
      replicas: [fakeReplica("r1", "web", "a1"), fakeReplica("r2", "web", "a2")],
    };
    const state = compileSnapshot(snapshot);
    const request = fakeRequest();
    const ctx = prepareRequest(
      state,
      { ...request, placement: { ...request.placement, spreadBy: "zone" } },
      1,
    );
    filterNodes(ctx);
    const maxima = scoreNodes(ctx);
    const labelSpread = Array.from(state.scratch.raw[4]!.subarray(0, ctx.feasibleCount));

    expect(labelSpread).toEqual([2, 2, 0, 0]);
    expect(maxima.labelSpread).toBe(2);
  });
});
