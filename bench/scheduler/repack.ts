/**
 * Re-pack: the same running cluster as the throughput run (replicas put at random, each app
 * with one label constraint), planned offline into as few nodes as possible. The moves are
 * replayed one at a time by the test harness's checker, which confirms each fits its target
 * with every rule at its turn.
 */
import { verifyRepack } from "../../server/scheduler/harness";
import { planRepack } from "../../server/scheduler/repack";
import { type TAppSpec, type TSnapshot } from "../../server/scheduler/types";
import { type TFamily } from "./families";
import { firstFitDecreasing } from "./ffd";
import { timed } from "./measure";

export type TRepackRun = {
  family: TFamily;
  replicas: number;
  nodesUsedBefore: number;
  nodesUsed: number;
  lowerBound: number;
  moves: number;
  seconds: number;
  violations: number;
  /** Nodes a fresh first-fit-decreasing packing of the same replicas uses. */
  firstFitDecreasing: number;
};

export function runRepack(
  family: TFamily,
  snapshot: TSnapshot,
  specs: readonly TAppSpec[],
): TRepackRun {
  const { value: plan, seconds } = timed(() => planRepack(snapshot, specs));

  return {
    family,
    replicas: snapshot.replicas.length,
    nodesUsedBefore: plan.nodesUsedBefore,
    nodesUsed: plan.nodesUsed,
    lowerBound: plan.lowerBound,
    moves: plan.moves.length,
    seconds,
    violations: verifyRepack(snapshot, specs, plan).length,
    firstFitDecreasing: firstFitDecreasing(snapshot, specs),
  };
}
