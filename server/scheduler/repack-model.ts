/**
 * The re-pack's working state: schedulable nodes and the replicas on them in typed arrays, and
 * the per-node facts the rules need (apps present, host ports taken).
 */
import { portKey } from "./cluster";
import { imageKey } from "./images";
import { matchesAll } from "./labels";
import { type TAppSpec, type TSchedulerNode, type TSnapshot, type TSnapshotReplica } from "./types";

/** An app's rules that depend on what else runs on the target node. */
export type TNodeRules = {
  maxPerNode: number;
  /** Apps it must not share a node with, declared by either side. */
  refuses: readonly string[];
};

const NO_PORTS: readonly string[] = [];

/**
 * Replicas that share placement constraints and image rule share a pool class: the nodes they
 * may go to, their grid of cells, and per grid column the highest non-empty cell (-1 if none).
 */
export type TPoolClass = {
  mask: Uint8Array;
  cells: number[][];
  columnTop: Int32Array;
  size: number;
};

/** Nodes, replicas and their current (planned) places; moves keep every index in step. */
export class RepackModel {
  readonly nodeCount: number;
  readonly cpuCapacity: Float64Array;
  readonly memoryCapacity: Float64Array;
  readonly cpuLoad: Float64Array;
  readonly memoryLoad: Float64Array;
  readonly pinned: Uint8Array;
  readonly kept: Uint8Array;
  readonly originals: number[][];
  readonly replicaIds: string[] = [];
  readonly appIds: string[] = [];
  /** Host ports per replica as `tcp/80` keys; most replicas share the empty list. */
  readonly itemPorts: (readonly string[])[] = [];
  /** Per replica: requests, load relative to an average node, node of origin, node now. */
  itemCpu = new Float64Array(0);
  itemMemory = new Float64Array(0);
  itemSize = new Float64Array(0);
  itemOrigin = new Int32Array(0);
  itemAt = new Int32Array(0);
  /** Pool class per replica, -1 for a pinned one. */
  itemClass = new Int32Array(0);
  itemCell = new Int32Array(0);
  inPool = new Uint8Array(0);
  movedAt = new Int32Array(0);
  poolSize = 0;
  classes: TPoolClass[] = [];
  /** Pool grid cell size, in millis and bytes. */
  cellCpu = 1;
  cellMemory = 1;
  readonly rules = new Map<string, TNodeRules>();
  readonly appOnNode = new Map<string, Map<number, number>>();
  readonly portsOnNode = new Map<number, Map<string, number>>();
  totalCpu = 0;
  totalMemory = 0;
  /** 1 / the average node's capacity: sizes in "average nodes" add CPU and memory fairly. */
  cpuScale = 1;
  memoryScale = 1;
  lowerBound = 0;
  pinnedReplicas = 0;
  private moves = 0;

  constructor(readonly nodes: readonly TSchedulerNode[]) {
    this.nodeCount = nodes.length;
    this.cpuCapacity = Float64Array.from(nodes, (node) => node.cpuMillis);
    this.memoryCapacity = Float64Array.from(nodes, (node) => node.memoryBytes);
    this.cpuLoad = new Float64Array(this.nodeCount);
    this.memoryLoad = new Float64Array(this.nodeCount);
    this.pinned = new Uint8Array(this.nodeCount);
    this.kept = new Uint8Array(this.nodeCount);
    this.originals = nodes.map(() => []);
  }

  /** Moves a replica (in the plan) and stamps the move's place in the sequence. */
  moveItem(item: number, to: number): void {
    const from = this.itemAt[item]!;
    this.place(item, from, -1);
    this.itemAt[item] = to;
    this.place(item, to, 1);
    this.movedAt[item] = this.moves++;
  }

  /** Adds (sign 1) or removes (sign -1) a replica's load, app and ports on a node. */
  place(item: number, node: number, sign: 1 | -1): void {
    this.cpuLoad[node] = this.cpuLoad[node]! + sign * this.itemCpu[item]!;
    this.memoryLoad[node] = this.memoryLoad[node]! + sign * this.itemMemory[item]!;
    const appId = this.appIds[item]!;
    bump(this.appOnNode, appId, node, sign);
    for (const key of this.itemPorts[item]!) {
      bump(this.portsOnNode, node, key, sign);
    }
  }

  /** Whether the node's other tenants allow one more replica of the item's app. */
  rulesAllow(item: number, node: number): boolean {
    const ports = this.portsOnNode.get(node);
    if (this.itemPorts[item]!.some((key) => (ports?.get(key) ?? 0) > 0)) {
      return false;
    }
    const appId = this.appIds[item]!;
    const rules = this.rules.get(appId);
    if (!rules) {
      return true;
    }
    if ((this.appOnNode.get(appId)?.get(node) ?? 0) >= rules.maxPerNode) {
      return false;
    }

    return !rules.refuses.some((other) => (this.appOnNode.get(other)?.get(node) ?? 0) > 0);
  }

  /** Replicas in the order they were last moved. */
  moveOrder(): number[] {
    const items = Array.from({ length: this.replicaIds.length }, (_, item) => item);

    return items.sort((a, b) => this.movedAt[a]! - this.movedAt[b]!);
  }

  /** Nodes holding at least one replica when replicas sit at `where`. */
  usedNodes(where: Int32Array): number[] {
    const used = new Uint8Array(this.nodeCount);
    where.forEach((node) => {
      used[node] = 1;
    });

    return Array.from({ length: this.nodeCount }, (_, node) => node).filter((n) => used[n]);
  }

  replicaSizes(): { cpuMillis: number; memoryBytes: number }[] {
    return Array.from({ length: this.replicaIds.length }, (_, item) => ({
      cpuMillis: this.itemCpu[item]!,
      memoryBytes: this.itemMemory[item]!,
    }));
  }
}

function bump<K, V>(map: Map<K, Map<V, number>>, key: K, inner: V, sign: number): void {
  let counts = map.get(key);
  if (!counts) {
    counts = new Map();
    map.set(key, counts);
  }
  counts.set(inner, (counts.get(inner) ?? 0) + sign);
}

/** appId to the apps it must not share a node with, declared by either side. */
function collectRefusals(
  specs: ReadonlyMap<string, TAppSpec>,
  declared: TSnapshot["antiAffinity"],
): Map<string, Set<string>> {
  const refuses = new Map<string, Set<string>>();
  const declare = (appId: string, others: readonly string[]) => {
    for (const other of others.filter((id) => id !== appId)) {
      refuses.set(appId, (refuses.get(appId) ?? new Set()).add(other));
      refuses.set(other, (refuses.get(other) ?? new Set()).add(appId));
    }
  };
  Object.entries(declared ?? {}).forEach(([appId, others]) => declare(appId, others));
  specs.forEach((spec) => declare(spec.appId, spec.placement.antiAffinity));

  return refuses;
}

/** Each app's node rules, with anti-affinity made symmetric. Apps with none get no entry. */
function collectRules(
  model: RepackModel,
  specs: ReadonlyMap<string, TAppSpec>,
  declared: TSnapshot["antiAffinity"],
): void {
  const refuses = collectRefusals(specs, declared);
  for (const spec of specs.values()) {
    const rules: TNodeRules = {
      maxPerNode: spec.placement.maxPerNode ?? Number.POSITIVE_INFINITY,
      refuses: [...(refuses.get(spec.appId) ?? [])],
    };
    if (rules.maxPerNode < Infinity || rules.refuses.length > 0) {
      model.rules.set(spec.appId, rules);
    }
  }
}

function classKey(spec: TAppSpec): string {
  return JSON.stringify([spec.placement.constraints, spec.canPull ? null : imageKey(spec.image)]);
}

function classMask(nodes: readonly TSchedulerNode[], spec: TAppSpec): Uint8Array {
  const image = imageKey(spec.image);

  return Uint8Array.from(nodes, (node) => {
    const imageOk = spec.canPull || node.images.has(image);

    return imageOk && matchesAll(node.labels, spec.placement.constraints) ? 1 : 0;
  });
}

function allocateItems(model: RepackModel, count: number): void {
  model.itemCpu = new Float64Array(count);
  model.itemMemory = new Float64Array(count);
  model.itemSize = new Float64Array(count);
  model.itemOrigin = new Int32Array(count);
  model.itemAt = new Int32Array(count);
  model.itemClass = new Int32Array(count);
  model.itemCell = new Int32Array(count);
  model.inPool = new Uint8Array(count);
  model.movedAt = new Int32Array(count);
}

function meanOf(values: Float64Array): number {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : 1;
}

type TClassIndex = { byKey: Map<string, number>; specs: ReadonlyMap<string, TAppSpec> };

function classOf(model: RepackModel, index: TClassIndex, appId: string): number {
  const spec = index.specs.get(appId);
  if (!spec) {
    return -1;
  }
  const key = classKey(spec);
  let id = index.byKey.get(key);
  if (id === undefined) {
    id = model.classes.length;
    model.classes.push({
      mask: classMask(model.nodes, spec),
      cells: [],
      columnTop: new Int32Array(0),
      size: 0,
    });
    index.byKey.set(key, id);
  }

  return id;
}

function addItem(model: RepackModel, index: TClassIndex, replica: TSnapshotReplica, node: number) {
  const item = model.replicaIds.length;
  model.replicaIds.push(replica.id);
  model.appIds.push(replica.appId);
  model.itemPorts.push(replica.hostPorts.length > 0 ? replica.hostPorts.map(portKey) : NO_PORTS);
  model.itemCpu[item] = replica.cpuMillis;
  model.itemMemory[item] = replica.memoryBytes;
  model.itemOrigin[item] = node;
  model.itemAt[item] = node;
  model.itemClass[item] = classOf(model, index, replica.appId);
  model.originals[node]!.push(item);
  model.place(item, node, 1);
  if (model.itemClass[item] < 0) {
    model.pinned[node] = 1;
    model.pinnedReplicas++;
  }
}

/**
 * Builds the model over `nodes` (the schedulable ones, in id order). Ports taken on a node by
 * something other than a replica count as held by a tenant that never moves.
 */
export function buildModel(
  nodes: readonly TSchedulerNode[],
  snapshot: TSnapshot,
  appSpecs: readonly TAppSpec[],
): RepackModel {
  const model = new RepackModel(nodes);
  const specs = new Map(appSpecs.map((spec) => [spec.appId, spec]));
  collectRules(model, specs, snapshot.antiAffinity);
  const nodeIndex = new Map(nodes.map((node, index) => [node.id, index]));
  const replicas = snapshot.replicas.filter((replica) => nodeIndex.has(replica.nodeId));
  allocateItems(model, replicas.length);
  const index: TClassIndex = { byKey: new Map(), specs };
  for (const replica of replicas) {
    addItem(model, index, replica, nodeIndex.get(replica.nodeId)!);
  }
  nodes.forEach((node, n) => {
    for (const protocol of ["tcp", "udp"] as const) {
      node.usedHostPorts[protocol].forEach((port) => {
        bump(model.portsOnNode, n, portKey({ port, protocol }), 1);
      });
    }
  });
  finishTotals(model);

  return model;
}

function finishTotals(model: RepackModel): void {
  model.cpuScale = 1 / Math.max(1, meanOf(model.cpuCapacity));
  model.memoryScale = 1 / Math.max(1, meanOf(model.memoryCapacity));
  for (let item = 0; item < model.replicaIds.length; item++) {
    model.totalCpu += model.itemCpu[item]!;
    model.totalMemory += model.itemMemory[item]!;
    model.itemSize[item] =
      model.itemCpu[item]! * model.cpuScale + model.itemMemory[item]! * model.memoryScale;
  }
}
