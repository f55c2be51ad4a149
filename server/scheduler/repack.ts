/**
 * Offline re-pack: a placement of every replica that frees as many nodes as it can, given as
 * moves that can be applied one at a time.
 *
 * 1. Keep the largest, then fullest, schedulable nodes, just enough that their capacity covers
 *    every request; every other node is to be emptied. Kept nodes keep all their replicas and
 *    only receive; emptied nodes only lose. So each move lands on capacity that is free at that
 *    point whatever the order, and no rule (ports, max per node, anti-affinity) is broken on
 *    the way.
 * 2. Fill each kept node from the pool of replicas to move, bin-centric (the norm-based greedy
 *    of Panigrahy et al., "Heuristics for Vector Bin Packing"): repeatedly take the replica
 *    that leaves the node's free (CPU, memory) closest to zero in least squares. First-fit-
 *    decreasing places every large replica before any small one can even a node out; this
 *    picks replicas whose shape matches the hole, so CPU-heavy and memory-heavy replicas end
 *    up side by side (docs/benchmarks.md compares the two on the same replicas).
 * 3. If replicas are left over, keep one more node (the one with the most load still to move),
 *    cancel the moves out of it, fill it and the nodes those cancellations freed, and repeat.
 *
 * Replicas of apps without a spec, and replicas on nodes that are not ready and active, stay
 * where they are: the re-pack does not know their rules.
 */
import { nodesLowerBound } from "./lower-bound";
import { type TAppSpec, type TSchedulerNode, type TSnapshot } from "./types";
import { type RepackModel, buildModel } from "./repack-model";
import { createPool, removeFromPool, pickForNode } from "./repack-pool";

export type TRepackMove = { replicaId: string; appId: string; from: string; to: string };

export type TRepackPlan = {
  /** In the order to apply them; each fits on its target once the ones before it are done. */
  moves: TRepackMove[];
  /** Schedulable nodes running at least one replica, before and after the moves. */
  nodesUsedBefore: number;
  nodesUsed: number;
  /** Nodes that run replicas now and none after the moves. */
  nodesFreed: string[];
  /** No placement of these replicas on these nodes can use fewer nodes (capacity only). */
  lowerBound: number;
  /** Replicas left in place because their app has no spec. */
  pinnedReplicas: number;
};

/** A node's capacity or load in units of the average node, CPU and memory added. */
function sizeOf(model: RepackModel, cpu: Float64Array, memory: Float64Array, node: number) {
  return cpu[node]! * model.cpuScale + memory[node]! * model.memoryScale;
}

/**
 * Pinned nodes first (they cannot be emptied), then the largest (fewest nodes cover the
 * requests), then the fullest (fewest moves), then by id for replay.
 */
function keepOrder(model: RepackModel): number[] {
  const order = Array.from({ length: model.nodeCount }, (_, node) => node);
  const capacity = order.map((n) => sizeOf(model, model.cpuCapacity, model.memoryCapacity, n));
  const load = order.map((n) => sizeOf(model, model.cpuLoad, model.memoryLoad, n));

  return order.sort(
    (a, b) =>
      model.pinned[b]! - model.pinned[a]! ||
      capacity[b]! - capacity[a]! ||
      load[b]! - load[a]! ||
      a - b,
  );
}

/** Marks nodes kept, in keep order, until their capacity covers every request. */
function chooseKept(model: RepackModel, order: readonly number[]): void {
  let cpu = 0;
  let memory = 0;
  for (const node of order) {
    const covered = cpu >= model.totalCpu && memory >= model.totalMemory;
    if (covered && model.pinned[node] === 0) {
      break;
    }
    model.kept[node] = 1;
    cpu += model.cpuCapacity[node]!;
    memory += model.memoryCapacity[node]!;
  }
}

function fillNode(model: RepackModel, node: number): void {
  for (;;) {
    const item = pickForNode(model, node);
    if (item < 0) {
      return;
    }
    removeFromPool(model, item);
    model.moveItem(item, node);
  }
}

/**
 * Keeps one more node: its replicas still in the pool stay, those already moved come back.
 * Returns the nodes that lost a replica and so have room again.
 */
function openNode(model: RepackModel, node: number): number[] {
  model.kept[node] = 1;
  const freed: number[] = [];
  for (const item of model.originals[node] ?? []) {
    if (model.inPool[item] === 1) {
      removeFromPool(model, item);
    } else if (model.itemAt[item] !== node) {
      freed.push(model.itemAt[item]!);
      model.moveItem(item, node);
    }
  }

  return [node, ...new Set(freed)];
}

/** The emptied node with the most load still waiting in the pool. */
function nextToOpen(model: RepackModel): number {
  let best = -1;
  let bestLoad = -1;
  for (let node = 0; node < model.nodeCount; node++) {
    if (model.kept[node] === 1) {
      continue;
    }
    let load = 0;
    for (const item of model.originals[node] ?? []) {
      load += model.inPool[item] === 1 ? model.itemSize[item]! : 0;
    }
    if (load > bestLoad) {
      best = node;
      bestLoad = load;
    }
  }

  return best;
}

function fillUntilEmpty(model: RepackModel, order: readonly number[]): void {
  order.filter((node) => model.kept[node] === 1).forEach((node) => fillNode(model, node));
  while (model.poolSize > 0) {
    const node = nextToOpen(model);
    if (node < 0) {
      return;
    }
    openNode(model, node).forEach((dirty) => fillNode(model, dirty));
  }
}

function summarise(model: RepackModel, nodes: readonly TSchedulerNode[]): TRepackPlan {
  const usedBefore = model.usedNodes(model.itemOrigin);
  if (model.usedNodes(model.itemAt).length >= usedBefore.length) {
    // Nothing gained (rules kept replicas where they are): moving would only cost.
    model.itemAt.set(model.itemOrigin);
  }
  const moved = model.moveOrder().filter((item) => model.itemAt[item] !== model.itemOrigin[item]);
  const moves = moved.map((item) => ({
    replicaId: model.replicaIds[item]!,
    appId: model.appIds[item]!,
    from: nodes[model.itemOrigin[item]!]!.id,
    to: nodes[model.itemAt[item]!]!.id,
  }));
  const usedAfter = new Set(model.usedNodes(model.itemAt));

  return {
    moves,
    nodesUsedBefore: usedBefore.length,
    nodesUsed: usedAfter.size,
    nodesFreed: usedBefore.filter((node) => !usedAfter.has(node)).map((node) => nodes[node]!.id),
    lowerBound: model.lowerBound,
    pinnedReplicas: model.pinnedReplicas,
  };
}

/**
 * Plans a re-pack of the schedulable nodes (ready and active): which replicas to move where so
 * that as many nodes as possible end up empty. Deterministic; no seed is needed.
 */
export function planRepack(snapshot: TSnapshot, appSpecs: readonly TAppSpec[]): TRepackPlan {
  const nodes = snapshot.nodes
    .filter((node) => node.status === "ready" && node.availability === "active")
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const model = buildModel(nodes, snapshot, appSpecs);
  model.lowerBound = nodesLowerBound(nodes, model.replicaSizes());
  const order = keepOrder(model);
  chooseKept(model, order);
  createPool(model);
  fillUntilEmpty(model, order);

  return summarise(model, nodes);
}
