/**
 * First-fit-decreasing on the same replicas and nodes as the re-pack, as a reference: replicas
 * sorted by their larger share of an average node, each put on the first node (largest nodes
 * first) that satisfies its label constraint and has room. A fresh packing, not moves, so it
 * only shows what the classic heuristic reaches.
 */
import { type TAppSpec, type TSnapshot } from "../../server/scheduler/types";
import { type TSimCluster, commitSim, simCluster } from "./baselines";
import { type TArrival, createMasks } from "./synthetic";

type TItem = { cpuMillis: number; memoryBytes: number; mask: Uint8Array | null; key: number };

type TScale = { cpu: number; memory: number };

function scaleOf(snapshot: TSnapshot): TScale {
  const count = Math.max(1, snapshot.nodes.length);
  const cpu = snapshot.nodes.reduce((sum, node) => sum + node.cpuMillis, 0) / count;
  const memory = snapshot.nodes.reduce((sum, node) => sum + node.memoryBytes, 0) / count;

  return { cpu: 1 / cpu, memory: 1 / memory };
}

function itemsOf(snapshot: TSnapshot, specs: readonly TAppSpec[], scale: TScale): TItem[] {
  const byApp = new Map(specs.map((spec) => [spec.appId, spec]));
  const maskOf = createMasks(snapshot.nodes);

  return snapshot.replicas.map((replica) => {
    const constraint = byApp.get(replica.appId)?.placement.constraints[0] ?? null;
    const arrival: TArrival = { appId: replica.appId, replicas: 1, size: replica, constraint };
    const key = Math.max(replica.cpuMillis * scale.cpu, replica.memoryBytes * scale.memory);
    const { cpuMillis, memoryBytes } = replica;

    return { cpuMillis, memoryBytes, mask: maskOf(arrival), key };
  });
}

function firstFit(sim: TSimCluster, order: Int32Array, item: TItem): number {
  for (const node of order) {
    const allowed = item.mask === null || item.mask[node] === 1;
    if (
      allowed &&
      sim.cpuUsed[node]! + item.cpuMillis <= sim.cpuCapacity[node]! &&
      sim.memoryUsed[node]! + item.memoryBytes <= sim.memoryCapacity[node]!
    ) {
      return node;
    }
  }

  return -1;
}

/** Nodes used by first-fit-decreasing, or -1 if some replica found no node. */
export function firstFitDecreasing(snapshot: TSnapshot, specs: readonly TAppSpec[]): number {
  const scale = scaleOf(snapshot);
  const cpu = Float64Array.from(snapshot.nodes, (node) => node.cpuMillis);
  const memory = Float64Array.from(snapshot.nodes, (node) => node.memoryBytes);
  const size = (i: number) => cpu[i]! * scale.cpu + memory[i]! * scale.memory;
  const order = Int32Array.from(snapshot.nodes, (_, i) => i).sort(
    (a, b) => size(b) - size(a) || a - b,
  );
  const sim = simCluster(cpu, memory);
  for (const item of itemsOf(snapshot, specs, scale).sort((a, b) => b.key - a.key)) {
    const node = firstFit(sim, order, item);
    if (node < 0) {
      return -1;
    }
    commitSim(sim, node, item);
  }

  return sim.cpuUsed.reduce((count, used) => count + (used > 0 ? 1 : 0), 0);
}
