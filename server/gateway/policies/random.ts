import { type TCandidate, type TPolicy, type TRandom, randomIndex } from "./types";

/** A uniformly random candidate from the injected source. */
export function randomPick(random: TRandom): TPolicy {
  return {
    pick(candidates: readonly TCandidate[]) {
      if (candidates.length === 0) {
        return undefined;
      }

      return candidates[randomIndex(random, candidates.length)];
    },
  };
}
