/**
 * Stage 3, normalise: every scorer's raw values become 0..100, then one weighted mean per
 * node, also 0..100, in `combined`.
 *
 * Resource scorers are fractions of the node, so their scale is fixed (×100) and a node's score
 * does not depend on which other nodes happen to be feasible. Count scorers have no natural
 * ceiling; like Kubernetes' spreading they are scaled against the feasible node with the most,
 * 100 · (max − n) / max, so "none of the app here" is always 100.
 */
import { SCORER_COUNT } from "./cluster";
import { type TRequestContext } from "./filter";
import { NORMALISATION, type TCountMaxima } from "./scorers";
import { SCORER_NAMES, type TPlacementRequest, type TScores, type TStrategy } from "./types";

/**
 * Weights per strategy.
 *
 * binpack: best fit dominates balance, so a replica goes to an empty node only when no used
 * node fits; the app's own spread weighs as much as best fit, so its replicas go to different
 * used nodes, as Nomad's job anti-affinity does. That is for availability, and it also packs
 * better: replicas of one app arrive together with the same shape, and stacking them on one
 * node strands its other resource (see docs/benchmarks.md).
 *
 * spread: the app's spread over nodes and labels weighs above even load, as Kubernetes weighs
 * topology spread (2) above resource scores (1).
 */
export const STRATEGY_WEIGHTS: Readonly<Record<TStrategy, Readonly<TScores>>> = {
  binpack: { binpack: 5, leastAllocated: 0, balanced: 1, nodeSpread: 5, labelSpread: 2 },
  spread: { binpack: 0, leastAllocated: 2, balanced: 1, nodeSpread: 4, labelSpread: 4 },
};

/**
 * The weights for one request: the strategy's, with any overrides (benchmarks use them to show
 * what each scorer adds); label spread counts only when the app names a label.
 */
export function weightsFor(request: TPlacementRequest, overrides: Partial<TScores> = {}): TScores {
  const weights = { ...STRATEGY_WEIGHTS[request.placement.strategy], ...overrides };
  if (request.placement.spreadBy === null) {
    weights.labelSpread = 0;
  }

  return weights;
}

/** norm = shift + scale · raw, per scorer (SCORER_NAMES order); weight 0 leaves a scorer out. */
export type TNormaliser = {
  weights: Float64Array;
  shift: Float64Array;
  scale: Float64Array;
};

/** A normaliser for one request's weights; its scales are set per replica. */
export function createNormaliser(weights: TScores): TNormaliser {
  return {
    weights: Float64Array.from(SCORER_NAMES, (name) => weights[name]),
    shift: new Float64Array(SCORER_COUNT),
    scale: new Float64Array(SCORER_COUNT),
  };
}

/** Sets each scorer's shift and scale for this replica; counts scale by their maximum. */
function fitScales(normaliser: TNormaliser, maxima: TCountMaxima): void {
  SCORER_NAMES.forEach((name, s) => {
    if (NORMALISATION[name] === "fraction") {
      normaliser.shift[s] = 0;
      normaliser.scale[s] = 100;

      return;
    }
    const max = name === "nodeSpread" ? maxima.nodeSpread : maxima.labelSpread;
    normaliser.shift[s] = 100;
    normaliser.scale[s] = max > 0 ? -100 / max : 0;
  });
}

/** One scorer's normalised value for the node at feasible position k. */
export function normalisedScore(
  ctx: TRequestContext,
  normaliser: TNormaliser,
  s: number,
  k: number,
): number {
  return normaliser.shift[s]! + normaliser.scale[s]! * ctx.state.scratch.raw[s]![k]!;
}

/**
 * combined = Σ w_s · norm_s / Σ w_s, in 0..100, for every feasible node. The weighted sum folds
 * into one offset and one coefficient per scorer; scorers with weight 0 are skipped, and the
 * first three active ones share one pass (binpack and spread use three, four with spreadBy).
 */
export function normaliseScores(
  ctx: TRequestContext,
  normaliser: TNormaliser,
  maxima: TCountMaxima,
): void {
  fitScales(normaliser, maxima);
  const { weights, shift, scale } = normaliser;
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  // All weights 0 leaves every node at 0 and the choice to the seeded tie-break.
  const share = totalWeight > 0 ? 1 / totalWeight : 0;
  let offset = 0;
  const rows: Float64Array[] = [];
  const coefficients: number[] = [];
  for (let s = 0; s < SCORER_COUNT; s++) {
    if (weights[s]! > 0) {
      offset += weights[s]! * shift[s]! * share;
      rows.push(ctx.state.scratch.raw[s]!);
      coefficients.push(weights[s]! * scale[s]! * share);
    }
  }
  combineRows(ctx, offset, rows, coefficients);
}

function combineRows(ctx: TRequestContext, offset: number, rows: Float64Array[], c: number[]) {
  const { combined, zeros } = ctx.state.scratch;
  const count = ctx.feasibleCount;
  const [r0 = zeros, r1 = zeros, r2 = zeros] = rows;
  const [c0 = 0, c1 = 0, c2 = 0] = c;
  for (let k = 0; k < count; k++) {
    combined[k] = offset + c0 * r0[k]! + c1 * r1[k]! + c2 * r2[k]!;
  }
  for (let extra = 3; extra < rows.length; extra++) {
    const row = rows[extra]!;
    const coefficient = c[extra]!;
    for (let k = 0; k < count; k++) {
      combined[k] = combined[k]! + coefficient * row[k]!;
    }
  }
}
