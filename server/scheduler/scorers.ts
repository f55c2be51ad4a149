/**
 * Stage 2, score: every scorer's raw value for every feasible node, in one pass over the nodes
 * (row s of `raw` holds scorer s, indexed by position in the feasible list). One pass, not one
 * per scorer, because this runs for every feasible node for every replica: the free fractions
 * are computed once and each scorer is a small formula on them.
 *
 * Notation, per node after the replica is placed on it:
 *   fc, fm  free fraction of CPU, of memory  = (free − request) / capacity
 *   uc, um  used fraction of CPU, of memory  = 1 − fc, 1 − fm
 */
import { type TRequestContext } from "./filter";
import { type TScorerName } from "./types";

/**
 * binpack = 1 − (fc² + fm²) / 2, in 0..1.
 *
 * Best fit: fuller nodes score higher. Squaring the free fractions makes the score convex, so
 * for the same total free space it prefers a node whose CPU and memory run out together; a
 * node left with free memory but no free CPU strands that memory. (Nomad's BestFit v3,
 * 20 − (10^fc + 10^fm), is convex for the same reason.)
 */
export function binpackScore(fc: number, fm: number): number {
  return 1 - (fc * fc + fm * fm) * 0.5;
}

/**
 * leastAllocated = (fc + fm) / 2, in 0..1.
 *
 * Kubernetes' LeastAllocated without its integer rounding: the node with the most capacity
 * left scores highest, so load spreads evenly.
 */
export function leastAllocatedScore(fc: number, fm: number): number {
  return (fc + fm) * 0.5;
}

/**
 * balanced = 1 − |uc − um| = 1 − |fc − fm|, in 0..1.
 *
 * Kubernetes' BalancedAllocation scores 1 − std(uc, um), which for two resources is
 * 1 − |uc − um| / 2; we drop the halving so the score uses the whole range. A node whose CPU
 * and memory are used in the same proportion can still take replicas of any shape.
 */
export function balancedScore(fc: number, fm: number): number {
  return 1 - Math.abs(fc - fm);
}

/*
 * nodeSpread = n, the app's replicas already on the node: a count, normalised against the
 * feasible node with the most, 100 · (max − n) / max. Fewer of the app's replicas on a node
 * means losing the node takes fewer down, as Nomad's job anti-affinity intends.
 *
 * labelSpread = g, the app's replicas on nodes with the same `spreadBy` label value (nodes
 * without the label form one group); normalised like nodeSpread. Spreading across zones keeps
 * the app up when a whole zone goes.
 */

/** Raw-row indexes, in SCORER_NAMES order. */
const ROW_BINPACK = 0;
const ROW_LEAST_ALLOCATED = 1;
const ROW_BALANCED = 2;
const ROW_NODE_SPREAD = 3;
const ROW_LABEL_SPREAD = 4;

/** The largest raw count of each count scorer, for the normalise stage. */
export type TCountMaxima = { nodeSpread: number; labelSpread: number };

/** Fills every scorer's raw row for the feasible nodes; returns the count maxima. */
export function scoreNodes(ctx: TRequestContext): TCountMaxima {
  const { feasible, feasibleCount, appCount } = ctx;
  const { cpuFree, memoryFree, cpuInverse, memoryInverse, scratch } = ctx.state;
  const rowB = scratch.raw[ROW_BINPACK]!;
  const rowL = scratch.raw[ROW_LEAST_ALLOCATED]!;
  const rowC = scratch.raw[ROW_BALANCED]!;
  const rowN = scratch.raw[ROW_NODE_SPREAD]!;
  const cpu = ctx.request.cpuMillis;
  const memory = ctx.request.memoryBytes;
  let maxN = 0;
  for (let k = 0; k < feasibleCount; k++) {
    const i = feasible[k]!;
    const fc = (cpuFree[i]! - cpu) * cpuInverse[i]!;
    const fm = (memoryFree[i]! - memory) * memoryInverse[i]!;
    rowB[k] = binpackScore(fc, fm);
    rowL[k] = leastAllocatedScore(fc, fm);
    rowC[k] = balancedScore(fc, fm);
    const n = appCount[i]!;
    rowN[k] = n;
    maxN = n > maxN ? n : maxN;
  }

  return { nodeSpread: maxN, labelSpread: scoreLabelSpread(ctx) };
}

/** The labelSpread row, in its own loop: most apps name no spread label. */
function scoreLabelSpread(ctx: TRequestContext): number {
  const { feasible, feasibleCount, spreadGroupOf, spreadGroupCount } = ctx;
  const rowG = ctx.state.scratch.raw[ROW_LABEL_SPREAD]!;
  if (!spreadGroupOf || !spreadGroupCount) {
    rowG.fill(0, 0, feasibleCount);

    return 0;
  }
  let maxG = 0;
  for (let k = 0; k < feasibleCount; k++) {
    const g = spreadGroupCount[spreadGroupOf[feasible[k]!]!]!;
    rowG[k] = g;
    maxG = g > maxG ? g : maxG;
  }

  return maxG;
}

/** How a scorer's raw values become 0..100 (see normalise.ts). */
export type TNormalisation = "fraction" | "inverse-count";

/** Each scorer's normalisation, in SCORER_NAMES order. */
export const NORMALISATION: Readonly<Record<TScorerName, TNormalisation>> = {
  binpack: "fraction",
  leastAllocated: "fraction",
  balanced: "fraction",
  nodeSpread: "inverse-count",
  labelSpread: "inverse-count",
};
