/**
 * Seeded randomness, so that every choice the scheduler makes can be replayed from its seed.
 * Nothing here reads a clock or Math.random.
 */

/**
 * The seed an app's placements use: the same for the controller's real placement and for the
 * dry run shown before a deploy or a scale, so the preview names the nodes the deploy picks
 * when scores tie; different apps break ties differently. FNV-1a of the app's name.
 */
export function placementSeed(appName: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < appName.length; index += 1) {
    hash = Math.imul(hash ^ appName.charCodeAt(index), 0x01000193) >>> 0;
  }

  return hash;
}

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
