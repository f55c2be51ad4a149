/**
 * Berth's scheduler: pure functions from a snapshot of the cluster to a plan. No database,
 * no Docker, no clock, no Math.random: the same inputs and seed give the same answer.
 *
 *   planPlacement   place N replicas of one app (filter → score → normalise → select)
 *   placeReplicas   the same on a compiled cluster, to plan several apps in turn
 *   whatIfNodeDies  where a node's replicas would go if it died now
 *   planRepack      moves that empty as many nodes as possible
 */
export { compileSnapshot, type TClusterState } from "./cluster";
export { describeConstraint, formatBytes, formatCpu } from "./explain";
export { imageKey, imageKeys } from "./images";
export { nodesLowerBound, type TResourceTotals } from "./lower-bound";
export { STRATEGY_WEIGHTS, weightsFor } from "./normalise";
export {
  EXPLAIN_TOP_CANDIDATES,
  type TPlacementOptions,
  placeReplicas,
  planPlacement,
} from "./plan";
export { planRepack, type TRepackMove, type TRepackPlan } from "./repack";
export { createPrng, placementSeed, type TPrng } from "./seeded";
export {
  type TWhatIfMove,
  type TWhatIfResult,
  type TWhatIfStranded,
  whatIfNodeDies,
} from "./what-if";
export * from "./types";
