import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { createPrng, placementSeed } from "./seeded";

describe("createPrng", () => {
  it("replays the same sequence from the same seed", () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const c = createPrng(8);
    const first = Array.from({ length: 5 }, () => a.next());

    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it("stays in [0, 1) and below(n) in [0, n)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const prng = createPrng(seed);
        for (let i = 0; i < 50; i++) {
          const value = prng.next();
          const index = prng.below(n);

          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThan(1);
          expect(Number.isInteger(index) && index >= 0 && index < n).toBe(true);
        }
      }),
    );
  });
});

describe("placementSeed", () => {
  it("is a 32-bit seed fixed by the app's name", () => {
    expect(placementSeed("web")).toBe(placementSeed("web"));
    expect(placementSeed("web")).not.toBe(placementSeed("api"));
    // FNV-1a's published value for the empty string: its offset basis.
    expect(placementSeed("")).toBe(0x811c9dc5);
    fc.assert(
      fc.property(fc.string(), (name) => {
        const seed = placementSeed(name);

        expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff).toBe(true);
      }),
    );
  });
});
