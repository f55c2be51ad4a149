/**
 * Synthetic clusters and workloads, all drawn from fixed seeds so every run sees the same
 * ones.
 */
import {
  type TAppSpec,
  type TLabelConstraint,
  type TSchedulerNode,
  type TSnapshot,
  type TSnapshotReplica,
} from "../../server/scheduler/types";
import { matchesAll } from "../../server/scheduler/labels";
import { type TPrng, createPrng } from "../../server/scheduler/seeded";
import {
  REFERENCE_CPU_MILLIS,
  REFERENCE_MEMORY_BYTES,
  type TFamily,
  type TSize,
  drawReplicaCount,
  drawSize,
} from "./families";

const ZONES = ["z1", "z2", "z3", "z4"];
/** Node shapes of the labelled cluster, as multiples of the reference node. */
const NODE_SCALES = [0.5, 1, 2];

export type TArrival = {
  appId: string;
  replicas: number;
  size: TSize;
  constraint: TLabelConstraint | null;
};

function node(id: number, scale: number, labels: Record<string, string>): TSchedulerNode {
  return {
    id: `n${String(id).padStart(5, "0")}`,
    name: `node-${id}`,
    status: "ready",
    availability: "active",
    labels,
    cpuMillis: REFERENCE_CPU_MILLIS * scale,
    memoryBytes: REFERENCE_MEMORY_BYTES * scale,
    images: new Set(),
    usedHostPorts: { tcp: [], udp: [] },
  };
}

/** Identical reference nodes without labels: the packing experiment's empty cluster. */
export function identicalNodes(count: number): TSchedulerNode[] {
  return Array.from({ length: count }, (_, id) => node(id, 1, {}));
}

/** Three node sizes (8, 16, 32 CPU), four zones, half on SSD. */
export function labelledNodes(count: number, seed: number): TSchedulerNode[] {
  const prng = createPrng(seed);

  return Array.from({ length: count }, (_, id) =>
    node(id, NODE_SCALES[prng.below(NODE_SCALES.length)]!, {
      zone: ZONES[prng.below(ZONES.length)]!,
      disk: prng.next() < 0.5 ? "ssd" : "hdd",
    }),
  );
}

/** One label constraint of four kinds, as a mixed fleet of apps would carry. */
function drawConstraint(prng: TPrng): TLabelConstraint {
  const zone = ZONES[prng.below(ZONES.length)]!;
  switch (prng.below(4)) {
    case 0:
      return { key: "zone", operator: "!=", value: zone };
    case 1:
      return { key: "zone", operator: "in", values: [zone, ZONES[(ZONES.indexOf(zone) + 1) % 4]!] };
    case 2:
      return { key: "disk", operator: "==", value: "ssd" };
    default:
      return { key: "disk", operator: "!=", value: "ssd" };
  }
}

/** Apps arriving one after another until `replicas` replicas in all. */
export function drawArrivals(
  family: TFamily,
  seed: number,
  replicas: number,
  withConstraints: boolean,
  prefix = "app",
): TArrival[] {
  const prng = createPrng(seed);
  const arrivals: TArrival[] = [];
  for (let total = 0; total < replicas;) {
    const count = Math.min(drawReplicaCount(prng), replicas - total);
    const size = drawSize(family, prng);
    const constraint = withConstraints ? drawConstraint(prng) : null;
    arrivals.push({ appId: `${prefix}-${arrivals.length}`, replicas: count, size, constraint });
    total += count;
  }

  return arrivals;
}

export function specOf(arrival: TArrival, strategy: "binpack" | "spread"): TAppSpec {
  return {
    appId: arrival.appId,
    appName: arrival.appId,
    cpuMillis: arrival.size.cpuMillis,
    memoryBytes: arrival.size.memoryBytes,
    hostPorts: [],
    image: `${arrival.appId}:1`,
    canPull: true,
    placement: {
      strategy,
      constraints: arrival.constraint ? [arrival.constraint] : [],
      maxPerNode: null,
      antiAffinity: [],
      spreadBy: null,
    },
  };
}

export type TMaskOf = (arrival: TArrival) => Uint8Array | null;

/**
 * Per-node 0/1 masks of the nodes that satisfy an arrival's constraint, cached per constraint:
 * the reference placers get the label filter for free, as a precomputed mask.
 */
export function createMasks(nodes: readonly TSchedulerNode[]): TMaskOf {
  const cache = new Map<string, Uint8Array>();

  return ({ constraint }) => {
    if (!constraint) {
      return null;
    }
    const key = JSON.stringify(constraint);
    let mask = cache.get(key);
    if (!mask) {
      mask = Uint8Array.from(nodes, (n) => (matchesAll(n.labels, [constraint]) ? 1 : 0));
      cache.set(key, mask);
    }

    return mask;
  };
}

type TFill = { cpu: Float64Array; memory: Float64Array; maskOf: TMaskOf };

function randomFit(nodes: readonly TSchedulerNode[], fill: TFill, arrival: TArrival, prng: TPrng) {
  const mask = fill.maskOf(arrival);
  const fits = (i: number) =>
    (mask === null || mask[i] === 1) &&
    fill.cpu[i]! + arrival.size.cpuMillis <= nodes[i]!.cpuMillis &&
    fill.memory[i]! + arrival.size.memoryBytes <= nodes[i]!.memoryBytes;
  for (let attempt = 0; attempt < 64; attempt++) {
    const i = prng.below(nodes.length);
    if (fits(i)) {
      return i;
    }
  }

  return nodes.findIndex((_, i) => fits(i));
}

export type TPopulated = { snapshot: TSnapshot; specs: TAppSpec[]; unplaced: number };

type TPopulation = { fill: TFill; placed: TSnapshotReplica[]; unplaced: number; prng: TPrng };

function placeAtRandom(nodes: readonly TSchedulerNode[], arrival: TArrival, into: TPopulation) {
  const { cpuMillis, memoryBytes } = arrival.size;
  for (let r = 0; r < arrival.replicas; r++) {
    const i = randomFit(nodes, into.fill, arrival, into.prng);
    if (i < 0) {
      into.unplaced++;
      continue;
    }
    into.fill.cpu[i] = into.fill.cpu[i]! + cpuMillis;
    into.fill.memory[i] = into.fill.memory[i]! + memoryBytes;
    const id = `${arrival.appId}-${r}`;
    into.placed.push({
      id,
      appId: arrival.appId,
      nodeId: nodes[i]!.id,
      cpuMillis,
      memoryBytes,
      hostPorts: [],
    });
  }
}

/**
 * A running cluster: `replicas` replicas of constrained apps, each put on a random node that
 * fits, as a fleet looks after months of deploys with no packing at all.
 */
export function populate(
  nodes: TSchedulerNode[],
  family: TFamily,
  seed: number,
  replicas: number,
): TPopulated {
  const fill: TFill = {
    cpu: new Float64Array(nodes.length),
    memory: new Float64Array(nodes.length),
    maskOf: createMasks(nodes),
  };
  const population: TPopulation = {
    fill,
    placed: [],
    unplaced: 0,
    prng: createPrng(seed ^ 0x5bd1e995),
  };
  const arrivals = drawArrivals(family, seed, replicas, true, "old");
  arrivals.forEach((arrival) => placeAtRandom(nodes, arrival, population));
  const specs = arrivals.map((arrival) => specOf(arrival, "binpack"));

  return { snapshot: { nodes, replicas: population.placed }, specs, unplaced: population.unplaced };
}
