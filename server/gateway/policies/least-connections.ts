import type { TCandidate, TPolicy } from "./types";

/**
 * The candidate with the fewest requests in flight. Ties are broken by a rotating start, so
 * idle backends (all at 0) share the traffic in turn instead of the first one taking it all.
 */
export function leastConnections(): TPolicy {
  let start = 0;

  return {
    pick(candidates: readonly TCandidate[]) {
      const count = candidates.length;
      if (count === 0) {
        return undefined;
      }
      let best: TCandidate | undefined;
      for (let offset = 0; offset < count; offset += 1) {
        const candidate = candidates[(start + offset) % count];
        if (candidate && (!best || candidate.outstanding < best.outstanding)) {
          best = candidate;
        }
      }
      start = (start + 1) % count;

      return best;
    },
  };
}
