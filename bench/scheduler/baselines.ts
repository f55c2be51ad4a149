/**
 * Reference placers, re-implemented from the published formulas, on a bare typed-array cluster:
 *
 * - Kubernetes NodeResourcesFit LeastAllocated and MostAllocated, integer arithmetic as in
 *   kube-scheduler (score per resource = requested·100 / capacity, weights 1), every feasible
 *   node scored, ties broken at random as selectHost does.
 * - The same MostAllocated with kube-scheduler's default percentageOfNodesToScore: it stops
 *   after max(100, N·max(5, 50 − N/125) %) feasible nodes, starting where the last cycle
 *   stopped. Shown apart: it is how the scorer runs when deployed, not the scorer alone.
 * - Nomad's BestFit v3, 20 − (10^freeCpu + 10^freeMem), over a random node order cut by the
 *   limit iterator at max(2, ⌈log2 N⌉) feasible nodes (skipping up to 3 that score ≤ 0). The
 *   order is shuffled once per evaluation (one app) and walked on for each further replica.
 */
import { type TPrng } from "../../server/scheduler/seeded";
import { type TSize } from "./families";

export type TSimCluster = {
  nodeCount: number;
  cpuCapacity: Float64Array;
  memoryCapacity: Float64Array;
  cpuUsed: Float64Array;
  memoryUsed: Float64Array;
};

/** Where one replica goes, or -1. `mask` (1 = allowed) stands for the label filter. */
export type TPlacer = {
  name: string;
  startApp: () => void;
  choose: (size: TSize, mask: Uint8Array | null) => number;
};

export function simCluster(cpu: Float64Array, memory: Float64Array): TSimCluster {
  return {
    nodeCount: cpu.length,
    cpuCapacity: cpu,
    memoryCapacity: memory,
    cpuUsed: new Float64Array(cpu.length),
    memoryUsed: new Float64Array(cpu.length),
  };
}

export function commitSim(sim: TSimCluster, node: number, size: TSize): void {
  sim.cpuUsed[node] = sim.cpuUsed[node]! + size.cpuMillis;
  sim.memoryUsed[node] = sim.memoryUsed[node]! + size.memoryBytes;
}

function fits(sim: TSimCluster, node: number, size: TSize, mask: Uint8Array | null): boolean {
  return (
    (mask === null || mask[node] === 1) &&
    sim.cpuUsed[node]! + size.cpuMillis <= sim.cpuCapacity[node]! &&
    sim.memoryUsed[node]! + size.memoryBytes <= sim.memoryCapacity[node]!
  );
}

/** kube-scheduler's leastRequestedScore and mostRequestedScore, weights 1 each. */
function k8sScore(sim: TSimCluster, node: number, size: TSize, most: boolean): number {
  const cpuRequested = sim.cpuUsed[node]! + size.cpuMillis;
  const memoryRequested = sim.memoryUsed[node]! + size.memoryBytes;
  const cpuCapacity = sim.cpuCapacity[node]!;
  const memoryCapacity = sim.memoryCapacity[node]!;
  const cpu = most ? cpuRequested : cpuCapacity - cpuRequested;
  const memory = most ? memoryRequested : memoryCapacity - memoryRequested;
  const cpuScore = Math.floor((cpu * 100) / cpuCapacity);
  const memoryScore = Math.floor((memory * 100) / memoryCapacity);

  return Math.floor((cpuScore + memoryScore) / 2);
}

/** Reservoir choice among equal best scores, as selectHost does. */
type TBest = { node: number; score: number; ties: number };

function offer(best: TBest, node: number, score: number, prng: TPrng): void {
  if (score > best.score) {
    best.node = node;
    best.score = score;
    best.ties = 1;
  } else if (score === best.score) {
    best.ties++;
    if (prng.below(best.ties) === 0) {
      best.node = node;
    }
  }
}

export function kubernetesPlacer(sim: TSimCluster, most: boolean, prng: TPrng): TPlacer {
  return {
    name: most ? "k8s MostAllocated" : "k8s LeastAllocated",
    startApp: () => undefined,
    choose: (size, mask) => {
      const best: TBest = { node: -1, score: -1, ties: 0 };
      for (let node = 0; node < sim.nodeCount; node++) {
        if (fits(sim, node, size, mask)) {
          offer(best, node, k8sScore(sim, node, size, most), prng);
        }
      }

      return best.node;
    },
  };
}

/** kube-scheduler's numFeasibleNodesToFind with percentageOfNodesToScore unset. */
export function kubernetesNodesToScore(nodeCount: number): number {
  const MIN_FEASIBLE_NODES = 100;
  if (nodeCount < MIN_FEASIBLE_NODES) {
    return nodeCount;
  }
  const percentage = Math.max(5, 50 - Math.floor(nodeCount / 125));

  return Math.max(MIN_FEASIBLE_NODES, Math.floor((nodeCount * percentage) / 100));
}

export function kubernetesSampledPlacer(sim: TSimCluster, prng: TPrng): TPlacer {
  const toFind = kubernetesNodesToScore(sim.nodeCount);
  let start = 0;

  return {
    name: "k8s MostAllocated, default sampling",
    startApp: () => undefined,
    choose: (size, mask) => {
      const best: TBest = { node: -1, score: -1, ties: 0 };
      let found = 0;
      let processed = 0;
      for (; processed < sim.nodeCount && found < toFind; processed++) {
        const node = (start + processed) % sim.nodeCount;
        if (fits(sim, node, size, mask)) {
          found++;
          offer(best, node, k8sScore(sim, node, size, true), prng);
        }
      }
      start = (start + processed) % sim.nodeCount;

      return best.node;
    },
  };
}

/** Nomad's ScoreFitBinPack (BestFit v3), normalised by its maximum 18 as the rank iterator does. */
export function nomadBestFitV3(sim: TSimCluster, node: number, size: TSize): number {
  const freeCpu = 1 - (sim.cpuUsed[node]! + size.cpuMillis) / sim.cpuCapacity[node]!;
  const freeMemory = 1 - (sim.memoryUsed[node]! + size.memoryBytes) / sim.memoryCapacity[node]!;
  const score = 20 - (10 ** freeCpu + 10 ** freeMemory);

  return Math.min(18, Math.max(0, score)) / 18;
}

const NOMAD_MAX_SKIP = 3;
const NOMAD_SKIP_SCORE_THRESHOLD = 0;

/**
 * A node order shuffled lazily, one Fisher-Yates step per node visited. Within one evaluation
 * a wrap-around walks the same order again, as Nomad's StaticIterator does.
 */
type TShuffle = { order: Int32Array; position: number; shuffled: number };

function nextShuffled(shuffle: TShuffle, prng: TPrng): number {
  const { order } = shuffle;
  if (shuffle.position === order.length) {
    shuffle.position = 0;
  }
  const at = shuffle.position++;
  if (at >= shuffle.shuffled) {
    const swap = at + prng.below(order.length - at);
    const node = order[swap]!;
    order[swap] = order[at]!;
    order[at] = node;
    shuffle.shuffled = at + 1;
  }

  return order[at]!;
}

type TNomadPick = { best: number; bestScore: number; seen: number; skipped: number[] };

function offerNomad(pick: TNomadPick, node: number, score: number): void {
  pick.seen++;
  if (score > pick.bestScore) {
    pick.best = node;
    pick.bestScore = score;
  }
}

/** One Nomad Select: walk the shuffled order until `limit` feasible nodes were ranked. */
function nomadChoose(
  sim: TSimCluster,
  shuffle: TShuffle,
  prng: TPrng,
  limit: number,
  request: { size: TSize; mask: Uint8Array | null },
): number {
  const { size, mask } = request;
  const pick: TNomadPick = { best: -1, bestScore: -1, seen: 0, skipped: [] };
  for (let visited = 0; visited < sim.nodeCount && pick.seen < limit; visited++) {
    const node = nextShuffled(shuffle, prng);
    if (!fits(sim, node, size, mask)) {
      continue;
    }
    const score = nomadBestFitV3(sim, node, size);
    const skip = score <= NOMAD_SKIP_SCORE_THRESHOLD && pick.skipped.length < NOMAD_MAX_SKIP;
    if (skip) {
      pick.skipped.push(node);
    } else {
      offerNomad(pick, node, score);
    }
  }
  // The source ran dry before the limit: the skipped nodes are offered after all.
  for (const node of pick.skipped) {
    if (pick.seen < limit) {
      offerNomad(pick, node, nomadBestFitV3(sim, node, size));
    }
  }

  return pick.best;
}

export function nomadPlacer(sim: TSimCluster, prng: TPrng): TPlacer {
  const limit = Math.max(2, Math.ceil(Math.log2(Math.max(1, sim.nodeCount))));
  const order = Int32Array.from({ length: sim.nodeCount }, (_, i) => i);
  const shuffle: TShuffle = { order, position: 0, shuffled: 0 };

  return {
    name: "Nomad BestFit v3, log2 N limit",
    startApp: () => {
      shuffle.position = 0;
      shuffle.shuffled = 0;
    },
    choose: (size, mask) => nomadChoose(sim, shuffle, prng, limit, { size, mask }),
  };
}
