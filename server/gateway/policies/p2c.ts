import { type TCandidate, type TPolicy, type TRandom, randomIndex } from "./types";

/** The latency assumed for a backend that has answered nothing yet. */
const UNKNOWN_LATENCY_MS = 1;

/**
 * A backend's expected wait: its recent latency times the requests it would be serving with
 * this one. A slow backend costs more even when idle, so it gets only an occasional request
 * once its latency has decayed, not one each time its queue empties.
 */
export function costOf(candidate: TCandidate): number {
  return (candidate.outstanding + 1) * Math.max(candidate.latencyMs ?? UNKNOWN_LATENCY_MS, 0.001);
}

/**
 * Power of two choices: two distinct random candidates, and the one with the lower cost
 * (requests in flight weighted by recent latency, as in a peak-EWMA balancer; the first of
 * the two on a tie). Avoids a slow or busy backend without every gateway herding onto the
 * same idle one.
 */
export function powerOfTwoChoices(random: TRandom): TPolicy {
  return {
    pick(candidates: readonly TCandidate[]) {
      const count = candidates.length;
      if (count <= 1) {
        return candidates[0];
      }
      const first = randomIndex(random, count);
      // A second index among the other count - 1, so the two always differ.
      const second = (first + 1 + randomIndex(random, count - 1)) % count;
      const a = candidates[first];
      const b = candidates[second];
      if (!a || !b) {
        return a ?? b;
      }

      return costOf(b) < costOf(a) ? b : a;
    },
  };
}
