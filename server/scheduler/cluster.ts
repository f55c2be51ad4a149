/**
 * The compiled cluster: a snapshot turned into typed arrays and indexes, built once and then
 * updated in place as replicas are placed, so that ranking 5,000 nodes does not allocate.
 */
import {
  type THostPort,
  type TSchedulerNode,
  type TSnapshot,
  type TSnapshotReplica,
} from "./types";

/** Reason codes in hot loops are small integers: 0 means "fits", n means REJECT_REASONS[n-1]. */
export const FITS = 0;
export const CODE_UNREACHABLE = 1;
export const CODE_CORDONED = 2;
export const CODE_DRAINING = 3;
export const CODE_CONSTRAINT = 4;
export const CODE_IMAGE = 5;
export const CODE_ANTI_AFFINITY = 6;
export const CODE_PORT = 7;
export const CODE_MAX_PER_NODE = 8;
export const CODE_CPU = 9;
export const CODE_MEMORY = 10;
export const REASON_CODE_COUNT = 11;

/** One label key across all nodes: value ids per node, 0 where the node lacks the label. */
export type TLabelColumn = {
  valueIds: Map<string, number>;
  /** values[id] is the label value; values[0] stands for "no such label". */
  values: string[];
  byNode: Int32Array;
};

/** Buffers reused by every request, each one slot per node. */
export type TScratch = {
  staticReason: Uint8Array;
  appCount: Int32Array;
  candidates: Int32Array;
  feasible: Int32Array;
  constraintOf: Int16Array;
  mark: Uint8Array;
  /** Value id 0 for every node: the column of a label no node carries. */
  noLabels: Int32Array;
  /** One row per scorer, indexed by position in the feasible list. */
  raw: Float64Array[];
  combined: Float64Array;
  /** Always zero: stands in for a scorer row that is switched off. */
  zeros: Float64Array;
};

export type TClusterState = {
  nodeCount: number;
  nodeIds: string[];
  nodeNames: string[];
  indexById: Map<string, number>;
  /** A hash of each node id, for tie-breaks that do not depend on which other nodes exist. */
  idHash: Uint32Array;
  cpuCapacity: Float64Array;
  memoryCapacity: Float64Array;
  /** 1 / capacity, or 0 for a node with none, so scorers multiply instead of divide. */
  cpuInverse: Float64Array;
  memoryInverse: Float64Array;
  /** Capacity minus every reservation, including replicas placed since the snapshot. */
  cpuFree: Float64Array;
  memoryFree: Float64Array;
  /** FITS, or the status/availability reason code that rules the node out for everyone. */
  nodeGate: Uint8Array;
  labels: Map<string, TLabelColumn>;
  imageNodes: Map<string, number[]>;
  /** `tcp/8080` to the nodes where that host port is taken (a node may appear twice). */
  portNodes: Map<string, number[]>;
  /** appId to (node index to replica count). */
  appNodes: Map<string, Map<number, number>>;
  /** appId to the apps that declared anti-affinity against it. */
  antiAffinityAgainst: Map<string, Set<string>>;
  scratch: TScratch;
};

/** The number of scorers; `raw` holds one row per scorer. */
export const SCORER_COUNT = 5;

/** The key a host port is indexed by, e.g. `tcp/8080`. */
export function portKey(port: THostPort): string {
  return `${port.protocol}/${port.port}`;
}

/** FNV-1a, 32 bits. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }

  return h >>> 0;
}

function inverse(capacity: number): number {
  return capacity > 0 ? 1 / capacity : 0;
}

function gateOf(node: TSchedulerNode): number {
  if (node.status !== "ready") {
    return CODE_UNREACHABLE;
  }
  if (node.availability === "cordoned") {
    return CODE_CORDONED;
  }

  return node.availability === "draining" ? CODE_DRAINING : FITS;
}

function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

function createScratch(nodeCount: number): TScratch {
  const raw: Float64Array[] = [];
  for (let s = 0; s < SCORER_COUNT; s++) {
    raw.push(new Float64Array(nodeCount));
  }

  return {
    staticReason: new Uint8Array(nodeCount),
    appCount: new Int32Array(nodeCount),
    candidates: new Int32Array(nodeCount),
    feasible: new Int32Array(nodeCount),
    constraintOf: new Int16Array(nodeCount),
    mark: new Uint8Array(nodeCount),
    noLabels: new Int32Array(nodeCount),
    raw,
    combined: new Float64Array(nodeCount),
    zeros: new Float64Array(nodeCount),
  };
}

function emptyState(nodes: readonly TSchedulerNode[]): TClusterState {
  const nodeCount = nodes.length;

  return {
    nodeCount,
    nodeIds: nodes.map((node) => node.id),
    nodeNames: nodes.map((node) => node.name),
    indexById: new Map(nodes.map((node, index) => [node.id, index])),
    idHash: Uint32Array.from(nodes, (node) => hashString(node.id)),
    cpuCapacity: Float64Array.from(nodes, (node) => node.cpuMillis),
    memoryCapacity: Float64Array.from(nodes, (node) => node.memoryBytes),
    cpuInverse: Float64Array.from(nodes, (node) => inverse(node.cpuMillis)),
    memoryInverse: Float64Array.from(nodes, (node) => inverse(node.memoryBytes)),
    cpuFree: Float64Array.from(nodes, (node) => node.cpuMillis),
    memoryFree: Float64Array.from(nodes, (node) => node.memoryBytes),
    nodeGate: Uint8Array.from(nodes, gateOf),
    labels: new Map(),
    imageNodes: new Map(),
    portNodes: new Map(),
    appNodes: new Map(),
    antiAffinityAgainst: new Map(),
    scratch: createScratch(nodeCount),
  };
}

function labelColumn(state: TClusterState, key: string): TLabelColumn {
  let column = state.labels.get(key);
  if (!column) {
    column = { valueIds: new Map(), values: [""], byNode: new Int32Array(state.nodeCount) };
    state.labels.set(key, column);
  }

  return column;
}

function indexNode(state: TClusterState, node: TSchedulerNode, index: number): void {
  for (const [key, value] of Object.entries(node.labels)) {
    const column = labelColumn(state, key);
    let id = column.valueIds.get(value);
    if (id === undefined) {
      id = column.values.length;
      column.values.push(value);
      column.valueIds.set(value, id);
    }
    column.byNode[index] = id;
  }
  for (const image of node.images) {
    pushTo(state.imageNodes, image, index);
  }
  for (const protocol of ["tcp", "udp"] as const) {
    for (const port of node.usedHostPorts[protocol]) {
      pushTo(state.portNodes, portKey({ port, protocol }), index);
    }
  }
}

/** Records a replica's reservation on a node: resources, host ports and the app's count. */
export function reserve(
  state: TClusterState,
  index: number,
  replica: Pick<TSnapshotReplica, "appId" | "cpuMillis" | "memoryBytes" | "hostPorts">,
): void {
  state.cpuFree[index] = state.cpuFree[index]! - replica.cpuMillis;
  state.memoryFree[index] = state.memoryFree[index]! - replica.memoryBytes;
  for (const port of replica.hostPorts) {
    pushTo(state.portNodes, portKey(port), index);
  }
  let counts = state.appNodes.get(replica.appId);
  if (!counts) {
    counts = new Map();
    state.appNodes.set(replica.appId, counts);
  }
  counts.set(index, (counts.get(index) ?? 0) + 1);
}

/** Records that `appId` refuses to share nodes with each app in `others`. */
export function declareAntiAffinity(
  state: TClusterState,
  appId: string,
  others: readonly string[],
): void {
  for (const other of others) {
    let declarers = state.antiAffinityAgainst.get(other);
    if (!declarers) {
      declarers = new Set();
      state.antiAffinityAgainst.set(other, declarers);
    }
    declarers.add(appId);
  }
}

function compareIds(a: TSchedulerNode, b: TSchedulerNode): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Compiles a snapshot. Nodes are ordered by id, so the same cluster gives the same plan however
 * the database happened to list it. Replicas on nodes missing from the snapshot are ignored:
 * they hold no capacity the scheduler could hand out.
 */
export function compileSnapshot(snapshot: TSnapshot): TClusterState {
  const nodes = [...snapshot.nodes].sort(compareIds);
  const state = emptyState(nodes);
  nodes.forEach((node, index) => indexNode(state, node, index));
  for (const replica of snapshot.replicas) {
    const index = state.indexById.get(replica.nodeId);
    if (index !== undefined) {
      reserve(state, index, replica);
    }
  }
  for (const [appId, others] of Object.entries(snapshot.antiAffinity ?? {})) {
    declareAntiAffinity(state, appId, others);
  }

  return state;
}
