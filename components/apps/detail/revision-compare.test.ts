import { describe, expect, it } from "vitest";

import { comparisonFor, comparisonProblem, swapped, withSide } from "./revision-compare";

const NUMBERS = [4, 3, 2, 1];

describe("revision comparisons", () => {
  it("compares a clicked revision with the current one", () => {
    expect(comparisonFor(NUMBERS, 2, 4)).toEqual({ from: 2, to: 4 });
  });

  it("compares the current revision with the one before it", () => {
    expect(comparisonFor(NUMBERS, 4, 4)).toEqual({ from: 3, to: 4 });
    expect(comparisonFor([3, 1], 3, 3)).toEqual({ from: 1, to: 3 });
    expect(comparisonFor([1], 1, 1)).toBeNull();
  });

  it("lets either side be any revision, and swaps them", () => {
    const start = comparisonFor(NUMBERS, 1, 4);
    if (!start) {
      throw new Error("expected a comparison");
    }
    const twoRevisionsBack = withSide(start, "to", 2);

    expect(twoRevisionsBack).toEqual({ from: 1, to: 2 });
    expect(swapped(twoRevisionsBack)).toEqual({ from: 2, to: 1 });
    expect(comparisonProblem(twoRevisionsBack)).toBeNull();
    expect(comparisonProblem(withSide(twoRevisionsBack, "from", 2))).toMatch(/two different/);
  });
});
