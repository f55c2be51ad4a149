/**
 * Throughput: a running cluster (N nodes of three sizes, four zones, two disk kinds, with
 * existing replicas put at random), then a stream of new apps, each with one label constraint,
 * alternately binpack and spread. Berth scores every feasible node for every replica and
 * writes a full explanation; the reference placers run the same arrivals on a copy of the
 * cluster with the label filter given to them as a precomputed mask.
 */
import { compileSnapshot } from "../../server/scheduler/cluster";
import { placeReplicas } from "../../server/scheduler/plan";
import { createPrng } from "../../server/scheduler/seeded";
import { type TSnapshot } from "../../server/scheduler/types";
import {
  type TPlacer,
  type TSimCluster,
  commitSim,
  kubernetesPlacer,
  nomadPlacer,
  simCluster,
} from "./baselines";
import { type TFamily } from "./families";
import { timed } from "./measure";
import { type TArrival, type TMaskOf, createMasks, drawArrivals, specOf } from "./synthetic";

export type TRate = { name: string; placed: number; unplaced: number; perSecond: number };

export type TThroughputRun = {
  family: TFamily;
  /** Whether each new app carries a label constraint (otherwise every node may take it). */
  constrained: boolean;
  nodeCount: number;
  running: number;
  placements: number;
  compileSeconds: number;
  /** Mean feasible nodes per Berth placement: all of them were scored. */
  meanFeasible: number;
  rates: TRate[];
};

export const BERTH_ONLINE = "Berth (binpack and spread, with explanation)";

function runBerth(snapshot: TSnapshot, arrivals: readonly TArrival[], seed: number) {
  const compiled = timed(() => compileSnapshot(snapshot));
  const state = compiled.value;
  let feasible = 0;
  const { value, seconds } = timed(() => {
    let placed = 0;
    let unplaced = 0;
    arrivals.forEach((arrival, index) => {
      const strategy = index % 2 === 0 ? "binpack" : "spread";
      const request = { ...specOf(arrival, strategy), replicas: arrival.replicas };
      const result = placeReplicas(state, request, seed + index);
      placed += result.plan.placements.length;
      unplaced += result.plan.unplaced.length;
      result.explanation.replicas.forEach((replica) => {
        feasible += replica.nodesFeasible;
      });
    });

    return { placed, unplaced };
  });
  const rate: TRate = { name: BERTH_ONLINE, ...value, perSecond: value.placed / seconds };

  return { rate, compileSeconds: compiled.seconds, meanFeasible: feasible / (value.placed || 1) };
}

function simOf(snapshot: TSnapshot): TSimCluster {
  const sim = simCluster(
    Float64Array.from(snapshot.nodes, (node) => node.cpuMillis),
    Float64Array.from(snapshot.nodes, (node) => node.memoryBytes),
  );
  const index = new Map(snapshot.nodes.map((node, i) => [node.id, i]));
  for (const replica of snapshot.replicas) {
    commitSim(sim, index.get(replica.nodeId)!, replica);
  }

  return sim;
}

function runPlacer(
  sim: TSimCluster,
  placer: TPlacer,
  arrivals: readonly TArrival[],
  maskOf: TMaskOf,
): TRate {
  const { value, seconds } = timed(() => {
    let placed = 0;
    let unplaced = 0;
    for (const arrival of arrivals) {
      placer.startApp();
      const mask = maskOf(arrival);
      for (let r = 0; r < arrival.replicas; r++) {
        const node = placer.choose(arrival.size, mask);
        if (node < 0) {
          unplaced++;
          continue;
        }
        commitSim(sim, node, arrival.size);
        placed++;
      }
    }

    return { placed, unplaced };
  });

  return { name: placer.name, ...value, perSecond: value.placed / seconds };
}

export function runThroughput(
  family: TFamily,
  seed: number,
  snapshot: TSnapshot,
  placements: number,
  constrained: boolean,
): TThroughputRun {
  const arrivals = drawArrivals(family, seed + 1000, placements, constrained, "new");
  const berth = runBerth(snapshot, arrivals, seed);
  const maskOf = createMasks(snapshot.nodes);
  arrivals.forEach(maskOf);
  const placers = [
    (sim: TSimCluster) => kubernetesPlacer(sim, true, createPrng(seed)),
    (sim: TSimCluster) => kubernetesPlacer(sim, false, createPrng(seed)),
    (sim: TSimCluster) => nomadPlacer(sim, createPrng(seed)),
  ];
  const rates = placers.map((make) => {
    const sim = simOf(snapshot);

    return runPlacer(sim, make(sim), arrivals, maskOf);
  });

  return {
    family,
    constrained,
    nodeCount: snapshot.nodes.length,
    running: snapshot.replicas.length,
    placements,
    compileSeconds: berth.compileSeconds,
    meanFeasible: berth.meanFeasible,
    rates: [berth.rate, ...rates],
  };
}
