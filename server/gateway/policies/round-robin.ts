import type { TCandidate, TPolicy } from "./types";

/** Each candidate in turn; a change in the set just continues the count over the new set. */
export function roundRobin(): TPolicy {
  let next = 0;

  return {
    pick(candidates: readonly TCandidate[]) {
      if (candidates.length === 0) {
        return undefined;
      }
      const chosen = candidates[next % candidates.length];
      next = (next + 1) % Number.MAX_SAFE_INTEGER;

      return chosen;
    },
  };
}
