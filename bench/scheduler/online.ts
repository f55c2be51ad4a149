/**
 * Online packing: a sequence of apps arrives, one at a time, into an empty cluster of
 * identical nodes that is large enough for every placer (the lower bound is about two thirds
 * of it). Each placer places every replica as it arrives, never moving one. "Nodes used" is
 * the number of nodes holding at least one replica at the end; the lower bound is
 * max over resources of ceil(total request / node capacity).
 */
import { compileSnapshot } from "../../server/scheduler/cluster";
import { nodesLowerBound } from "../../server/scheduler/lower-bound";
import { type TPlacementOptions, placeReplicas } from "../../server/scheduler/plan";
import { createPrng } from "../../server/scheduler/seeded";
import {
  type TPlacer,
  type TSimCluster,
  commitSim,
  kubernetesPlacer,
  kubernetesSampledPlacer,
  nomadPlacer,
  simCluster,
} from "./baselines";
import { type TFamily } from "./families";
import { timed } from "./measure";
import { type TArrival, drawArrivals, identicalNodes, specOf } from "./synthetic";

export type TPackResult = { name: string; nodesUsed: number; unplaced: number; seconds: number };

export type TOnlineRun = {
  family: TFamily;
  seed: number;
  nodeCount: number;
  replicas: number;
  lowerBound: number;
  results: TPackResult[];
};

export const BERTH_BINPACK = "Berth binpack";
export const BERTH_NO_SPREAD = "Berth binpack without app spread (ablation)";

function runBerth(
  nodeCount: number,
  arrivals: readonly TArrival[],
  seed: number,
  options: TPlacementOptions = {},
): TPackResult {
  const state = compileSnapshot({ nodes: identicalNodes(nodeCount), replicas: [] });
  const { value: unplaced, seconds } = timed(() => {
    let missed = 0;
    arrivals.forEach((arrival, index) => {
      const request = { ...specOf(arrival, "binpack"), replicas: arrival.replicas };
      missed += placeReplicas(state, request, seed + index, options).plan.unplaced.length;
    });

    return missed;
  });
  let nodesUsed = 0;
  for (let i = 0; i < nodeCount; i++) {
    nodesUsed += state.cpuFree[i]! < state.cpuCapacity[i]! ? 1 : 0;
  }

  const name = options.weights ? BERTH_NO_SPREAD : BERTH_BINPACK;

  return { name, nodesUsed, unplaced, seconds };
}

export function runPlacer(sim: TSimCluster, placer: TPlacer, arrivals: readonly TArrival[]) {
  let unplaced = 0;
  for (const arrival of arrivals) {
    placer.startApp();
    for (let r = 0; r < arrival.replicas; r++) {
      const node = placer.choose(arrival.size, null);
      if (node < 0) {
        unplaced++;
      } else {
        commitSim(sim, node, arrival.size);
      }
    }
  }

  return unplaced;
}

function runBaseline(
  nodeCount: number,
  arrivals: readonly TArrival[],
  makePlacer: (sim: TSimCluster) => TPlacer,
): TPackResult {
  const nodes = identicalNodes(nodeCount);
  const sim = simCluster(
    Float64Array.from(nodes, (node) => node.cpuMillis),
    Float64Array.from(nodes, (node) => node.memoryBytes),
  );
  const placer = makePlacer(sim);
  const { value: unplaced, seconds } = timed(() => runPlacer(sim, placer, arrivals));
  const nodesUsed = sim.cpuUsed.reduce((count, used) => count + (used > 0 ? 1 : 0), 0);

  return { name: placer.name, nodesUsed, unplaced, seconds };
}

export function runOnline(
  family: TFamily,
  seed: number,
  nodeCount: number,
  replicas: number,
): TOnlineRun {
  const arrivals = drawArrivals(family, seed, replicas, false);
  const sizes = arrivals.flatMap((arrival) =>
    Array<typeof arrival.size>(arrival.replicas).fill(arrival.size),
  );
  const lowerBound = nodesLowerBound(identicalNodes(nodeCount), sizes);
  const results = [
    runBerth(nodeCount, arrivals, seed),
    runBerth(nodeCount, arrivals, seed, { weights: { nodeSpread: 0 } }),
    runBaseline(nodeCount, arrivals, (sim) => kubernetesPlacer(sim, true, createPrng(seed))),
    runBaseline(nodeCount, arrivals, (sim) => kubernetesSampledPlacer(sim, createPrng(seed))),
    runBaseline(nodeCount, arrivals, (sim) => nomadPlacer(sim, createPrng(seed))),
    runBaseline(nodeCount, arrivals, (sim) => kubernetesPlacer(sim, false, createPrng(seed))),
  ];

  return { family, seed, nodeCount, replicas, lowerBound, results };
}
