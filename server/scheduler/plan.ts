/**
 * The pipeline: filter, score, normalise, select, once per replica, each replica seeing the
 * capacity taken by the ones placed before it in the same plan.
 */
import { BerthError } from "../errors";
import { type TClusterState, compileSnapshot, declareAntiAffinity, reserve } from "./cluster";
import { constraintCountsOf, countsAddUp, explainMessage, reasonCountsOf } from "./explain";
import {
  type TRequestContext,
  filterNodes,
  notePlaced,
  prepareRequest,
  releaseRequest,
} from "./filter";
import {
  type TNormaliser,
  createNormaliser,
  normaliseScores,
  normalisedScore,
  weightsFor,
} from "./normalise";
import { scoreNodes } from "./scorers";
import { selectNodes } from "./select";
import {
  SCORER_NAMES,
  type TCandidate,
  type TPlacementRequest,
  type TPlacementResult,
  type TReplicaExplanation,
  type TScores,
  type TSnapshot,
} from "./types";

/** How many ranked nodes an explanation lists per placed replica. */
export const EXPLAIN_TOP_CANDIDATES = 3;

export type TPlacementOptions = {
  /** Replace some of the strategy's scorer weights (0 switches a scorer off). */
  weights?: Partial<TScores>;
};

type TRun = {
  ctx: TRequestContext;
  normaliser: TNormaliser;
  constraintCounts: Record<string, number>;
  result: TPlacementResult;
};

function checkRequest(request: TPlacementRequest): void {
  const sizes = [request.replicas, request.cpuMillis, request.memoryBytes];
  if (sizes.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new BerthError(
      "INVALID_INPUT",
      `App ${request.appName}: replicas, CPU and memory must be finite and not negative.`,
    );
  }
  if (!Number.isInteger(request.replicas)) {
    throw new BerthError("INVALID_INPUT", `App ${request.appName}: replicas must be whole.`);
  }
}

function checkOptions(options: TPlacementOptions): void {
  const weights = Object.values(options.weights ?? {});
  if (weights.some((weight) => !Number.isFinite(weight) || weight < 0)) {
    throw new BerthError("INVALID_INPUT", "Scorer weights must be finite and not negative.");
  }
}

function scoresAt(run: TRun, k: number): TScores {
  const entries = SCORER_NAMES.map((name, s) => {
    const active = run.normaliser.weights[s]! > 0;

    return [name, active ? normalisedScore(run.ctx, run.normaliser, s, k) : 0] as const;
  });

  return Object.fromEntries(entries) as TScores;
}

function candidateAt(run: TRun, k: number): TCandidate {
  const node = run.ctx.feasible[k]!;

  return {
    nodeId: run.ctx.state.nodeIds[node]!,
    nodeName: run.ctx.state.nodeNames[node]!,
    score: run.ctx.state.scratch.combined[k]!,
    scoresByScorer: scoresAt(run, k),
  };
}

function explain(run: TRun, replicaIndex: number, candidates: TCandidate[]): TReplicaExplanation {
  const { ctx, constraintCounts } = run;
  const reasonCounts = reasonCountsOf(ctx.staticCounts, ctx.dynamicCounts);
  const nodesConsidered = ctx.state.nodeCount;
  const nodesFeasible = ctx.feasibleCount;
  if (!countsAddUp(reasonCounts, nodesFeasible, nodesConsidered)) {
    throw new BerthError("INTERNAL", `scheduler miscounted nodes for ${ctx.request.appId}`);
  }
  const message = explainMessage({
    request: ctx.request,
    nodesConsidered,
    nodesFeasible,
    reasonCounts,
    constraintCounts,
    chosen: candidates[0] ?? null,
  });

  return {
    replicaIndex,
    nodesConsidered,
    nodesFeasible,
    reasonCounts,
    constraintCounts,
    candidates,
    message,
  };
}

/** Scores every feasible node and returns the best few, best first. */
function rank(run: TRun, replicaIndex: number): TCandidate[] {
  const { ctx, normaliser } = run;
  const maxima = scoreNodes(ctx);
  normaliseScores(ctx, normaliser, maxima);

  return selectNodes(ctx, replicaIndex, EXPLAIN_TOP_CANDIDATES).map((k) => candidateAt(run, k));
}

function commit(run: TRun, index: number): void {
  reserve(run.ctx.state, index, run.ctx.request);
  notePlaced(run.ctx, index);
}

/** Places one replica; false when no node fits (then no later replica fits either). */
function placeOne(run: TRun, replicaIndex: number): boolean {
  const { ctx, result } = run;
  filterNodes(ctx);
  const candidates = ctx.feasibleCount > 0 ? rank(run, replicaIndex) : [];
  const explanation = explain(run, replicaIndex, candidates);
  result.explanation.replicas.push(explanation);
  const best = candidates[0];
  if (!best) {
    const { reasonCounts, message } = explanation;
    result.plan.unplaced.push({ replicaIndex, reasonCounts, message });

    return false;
  }
  const { nodeId, score, scoresByScorer } = best;
  result.plan.placements.push({ replicaIndex, nodeId, score, scoresByScorer });
  commit(run, ctx.state.indexById.get(nodeId)!);

  return true;
}

/** A replica that cannot be placed leaves the state as it was, so the rest fail alike. */
function failRest(run: TRun, from: number): void {
  const last = run.result.explanation.replicas.at(-1);
  for (let replicaIndex = from; replicaIndex < run.ctx.request.replicas && last; replicaIndex++) {
    const reasonCounts = { ...last.reasonCounts };
    const constraintCounts = { ...last.constraintCounts };
    const copy = { ...last, replicaIndex, reasonCounts, constraintCounts, candidates: [] };
    run.result.explanation.replicas.push(copy);
    run.result.plan.unplaced.push({ replicaIndex, reasonCounts, message: last.message });
  }
}

function startRun(
  state: TClusterState,
  request: TPlacementRequest,
  seed: number,
  options: TPlacementOptions,
): TRun {
  const ctx = prepareRequest(state, request, seed);
  const weights = weightsFor(request, options.weights);
  const result: TPlacementResult = {
    plan: { appId: request.appId, placements: [], unplaced: [] },
    explanation: { weights, replicas: [] },
  };

  return {
    ctx,
    normaliser: createNormaliser(weights),
    constraintCounts: constraintCountsOf(ctx),
    result,
  };
}

/**
 * Places `request.replicas` replicas of one app on a compiled cluster and records them there,
 * so a controller can plan several apps in turn against one snapshot. Deterministic: the same
 * state, request and seed give the same plan.
 */
export function placeReplicas(
  state: TClusterState,
  request: TPlacementRequest,
  seed: number,
  options: TPlacementOptions = {},
): TPlacementResult {
  checkRequest(request);
  checkOptions(options);
  const run = startRun(state, request, seed, options);
  for (let replicaIndex = 0; replicaIndex < request.replicas; replicaIndex++) {
    if (!placeOne(run, replicaIndex)) {
      failRest(run, replicaIndex + 1);
      break;
    }
  }
  releaseRequest(run.ctx);
  declareAntiAffinity(state, request.appId, request.placement.antiAffinity);

  return run.result;
}

/**
 * Plans where `request.replicas` new replicas of an app go: snapshot, request and seed in;
 * plan and explanation out. Pure: the snapshot is not changed.
 */
export function planPlacement(
  snapshot: TSnapshot,
  request: TPlacementRequest,
  seed: number,
  options: TPlacementOptions = {},
): TPlacementResult {
  return placeReplicas(compileSnapshot(snapshot), request, seed, options);
}
