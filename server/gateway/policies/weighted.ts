import { roundRobin } from "./round-robin";
import type { TCandidate, TPolicy } from "./types";

/**
 * Smooth weighted round robin, as nginx does it: every pick adds each candidate's weight to
 * its current value, takes the highest, and subtracts the total from the one taken. Over any
 * window of sum(weights) picks each candidate gets exactly its weight, spread out rather than
 * in bursts (weights 5,1,1 give a a b a c a a, not a a a a a b c).
 *
 * When every eligible candidate weighs 0 (only zero-weight replicas are left), they share
 * the traffic in turn: serving beats refusing.
 */
export function weightedRoundRobin(): TPolicy {
  const current = new Map<string, number>();
  const fallback = roundRobin();

  return {
    pick(candidates: readonly TCandidate[]) {
      if (candidates.length === 0) {
        return undefined;
      }
      forgetAbsent(current, candidates);
      let total = 0;
      let best: TCandidate | undefined;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (const candidate of candidates) {
        const weight = Math.max(0, candidate.weight);
        const value = (current.get(candidate.id) ?? 0) + weight;
        current.set(candidate.id, value);
        total += weight;
        if (weight > 0 && value > bestValue) {
          best = candidate;
          bestValue = value;
        }
      }
      if (!best) {
        return fallback.pick(candidates);
      }
      current.set(best.id, bestValue - total);

      return best;
    },
  };
}

/** Drops the state of candidates that left, so a returning one starts from 0. */
function forgetAbsent(current: Map<string, number>, candidates: readonly TCandidate[]) {
  if (current.size <= candidates.length) {
    return;
  }
  const present = new Set(candidates.map((candidate) => candidate.id));
  for (const id of current.keys()) {
    if (!present.has(id)) {
      current.delete(id);
    }
  }
}
