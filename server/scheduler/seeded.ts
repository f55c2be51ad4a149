/**
 * Seeded randomness, so that every choice the scheduler makes can be replayed from its seed.
 * Nothing here reads a clock or Math.random.
 */

/** A source of floats in [0, 1) and of integers in [0, n). */
export type TPrng = { next: () => number; below: (n: number) => number };

/**
 * mulberry32: a 32-bit state generator, small and fast, good enough for tie-breaks and
 * synthetic data (it is not for secrets).
 */
export function createPrng(seed: number): TPrng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  return { next, below: (n) => Math.floor(next() * n) };
}
