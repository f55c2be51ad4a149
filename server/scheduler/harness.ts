/**
 * A test harness in the manner of Nomad's: a fake cluster state, builders for nodes and
 * requests, and a checker that replays a plan against the snapshot and lists every rule it
 * breaks. Tests and benchmarks use it; production code does not.
 */
import { compileSnapshot, type TClusterState } from "./cluster";
import { imageKey } from "./images";
import { matchesAll } from "./labels";
import { placeReplicas } from "./plan";
import { type TRepackMove, type TRepackPlan } from "./repack";
import {
  type THostPort,
  type TAppSpec,
  type TPlacementRequest,
  type TPlacementResult,
  type TSchedulerNode,
  type TSnapshot,
  type TSnapshotReplica,
} from "./types";

/** Sizes for readable fixtures. */
export const GIB_BYTES = 1024 ** 3;
export const MIB_BYTES = 1024 ** 2;

/** A ready, active node with 4 CPU and 8 GiB unless told otherwise. */
export function fakeNode(id: string, overrides: Partial<TSchedulerNode> = {}): TSchedulerNode {
  return {
    id,
    name: id,
    status: "ready",
    availability: "active",
    labels: {},
    cpuMillis: 4000,
    memoryBytes: 8 * GIB_BYTES,
    images: new Set(),
    usedHostPorts: { tcp: [], udp: [] },
    ...overrides,
  };
}

/** An app asking for 0.5 CPU and 512 MiB per replica, binpack, no rules. */
export function fakeSpec(appId: string, overrides: Partial<TAppSpec> = {}): TAppSpec {
  return {
    appId,
    appName: appId,
    cpuMillis: 500,
    memoryBytes: 512 * MIB_BYTES,
    hostPorts: [],
    image: "web:1",
    canPull: true,
    placement: {
      strategy: "binpack",
      constraints: [],
      maxPerNode: null,
      antiAffinity: [],
      spreadBy: null,
    },
    ...overrides,
  };
}

/** One replica of `web`, as fakeSpec describes it, unless told otherwise. */
export function fakeRequest(overrides: Partial<TPlacementRequest> = {}): TPlacementRequest {
  return { ...fakeSpec("web"), replicas: 1, ...overrides };
}

/** A replica of `appId` on `nodeId` holding 0.5 CPU and 512 MiB unless told otherwise. */
export function fakeReplica(
  id: string,
  appId: string,
  nodeId: string,
  overrides: Partial<TSnapshotReplica> = {},
): TSnapshotReplica {
  return {
    id,
    appId,
    nodeId,
    cpuMillis: 500,
    memoryBytes: 512 * MIB_BYTES,
    hostPorts: [],
    ...overrides,
  };
}

/** Runs requests one after another against one compiled state, keeping every result. */
export class Harness {
  readonly state: TClusterState;
  readonly results: TPlacementResult[] = [];

  constructor(readonly snapshot: TSnapshot) {
    this.state = compileSnapshot(snapshot);
  }

  place(request: TPlacementRequest, seed = 1): TPlacementResult {
    const result = placeReplicas(this.state, request, seed);
    this.results.push(result);

    return result;
  }
}

type TNodeUse = { cpu: number; memory: number; apps: Map<string, number>; ports: Set<string> };

function usageOf(snapshot: TSnapshot): Map<string, TNodeUse> {
  const usage = new Map<string, TNodeUse>();
  for (const node of snapshot.nodes) {
    const ports = new Set([
      ...node.usedHostPorts.tcp.map((port) => `tcp/${port}`),
      ...node.usedHostPorts.udp.map((port) => `udp/${port}`),
    ]);
    usage.set(node.id, { cpu: 0, memory: 0, apps: new Map(), ports });
  }
  for (const replica of snapshot.replicas) {
    const use = usage.get(replica.nodeId);
    if (use) {
      use.cpu += replica.cpuMillis;
      use.memory += replica.memoryBytes;
      use.apps.set(replica.appId, (use.apps.get(replica.appId) ?? 0) + 1);
      replica.hostPorts.forEach((port) => use.ports.add(`${port.protocol}/${port.port}`));
    }
  }

  return usage;
}

/** Whether an app on the node refuses `appId`, or `appId` refuses one of them. */
function antiAffine(snapshot: TSnapshot, use: TNodeUse, request: TPlacementRequest): boolean {
  const refused = (appId: string) =>
    appId !== request.appId &&
    (request.placement.antiAffinity.includes(appId) ||
      (snapshot.antiAffinity?.[appId] ?? []).includes(request.appId));

  return [...use.apps.keys()].some(refused);
}

type TCheckInput = {
  snapshot: TSnapshot;
  node: TSchedulerNode;
  use: TNodeUse;
  request: TPlacementRequest;
};

const hasPort = (use: TNodeUse, port: THostPort) => use.ports.has(`${port.protocol}/${port.port}`);

/** Every placement rule, written independently of the scheduler's own filter. */
const RULES: readonly [string, (input: TCheckInput) => boolean][] = [
  [
    "is not ready and active",
    ({ node }) => node.status !== "ready" || node.availability !== "active",
  ],
  [
    "fails a label constraint",
    ({ node, request }) => !matchesAll(node.labels, request.placement.constraints),
  ],
  [
    "lacks the image",
    ({ node, request }) => !request.canPull && !node.images.has(imageKey(request.image)),
  ],
  ["runs an anti-affine app", ({ snapshot, use, request }) => antiAffine(snapshot, use, request)],
  ["has a host port taken", ({ use, request }) => request.hostPorts.some((p) => hasPort(use, p))],
  [
    "is at max per node",
    ({ use, request }) =>
      (use.apps.get(request.appId) ?? 0) >= (request.placement.maxPerNode ?? Infinity),
  ],
  [
    "would be over CPU capacity",
    ({ node, use, request }) => use.cpu + request.cpuMillis > node.cpuMillis,
  ],
  [
    "would be over memory capacity",
    ({ node, use, request }) => use.memory + request.memoryBytes > node.memoryBytes,
  ],
];

function violationsAt(input: TCheckInput): string[] {
  return RULES.filter(([, broken]) => broken(input)).map(([text]) => `${input.node.id} ${text}`);
}

function recordPlacement(use: TNodeUse, request: TPlacementRequest): void {
  use.cpu += request.cpuMillis;
  use.memory += request.memoryBytes;
  use.apps.set(request.appId, (use.apps.get(request.appId) ?? 0) + 1);
  request.hostPorts.forEach((port) => use.ports.add(`${port.protocol}/${port.port}`));
}

/**
 * Replays a plan on the snapshot, placement by placement, and lists every broken rule: a node
 * that is not ready and active, over capacity, failing a constraint, and so on. Empty is good.
 */
export function verifyPlan(
  snapshot: TSnapshot,
  request: TPlacementRequest,
  result: TPlacementResult,
): string[] {
  const usage = usageOf(snapshot);
  const nodes = new Map(snapshot.nodes.map((node) => [node.id, node]));
  const found: string[] = [];
  for (const placement of result.plan.placements) {
    const node = nodes.get(placement.nodeId);
    const use = usage.get(placement.nodeId);
    if (!node || !use) {
      found.push(`unknown node ${placement.nodeId}`);
      continue;
    }
    found.push(...violationsAt({ snapshot, node, use, request }));
    recordPlacement(use, request);
  }

  return found;
}

type TMoveState = {
  nodes: Map<string, TSchedulerNode>;
  usage: Map<string, TNodeUse>;
  specs: Map<string, TAppSpec>;
};

function moveViolations(
  snapshot: TSnapshot,
  state: TMoveState,
  replica: TSnapshotReplica,
  to: string,
): string[] {
  const node = state.nodes.get(to);
  const use = state.usage.get(to);
  const spec = state.specs.get(replica.appId);
  if (!node || !use || !spec) {
    return [`move of ${replica.id} to unknown node ${to} or app without spec`];
  }
  const request: TPlacementRequest = { ...spec, ...replica, replicas: 1 };

  return violationsAt({ snapshot, node, use, request }).map((text) => `${replica.id}: ${text}`);
}

function applyMove(use: { from: TNodeUse; to: TNodeUse }, replica: TSnapshotReplica): void {
  use.from.cpu -= replica.cpuMillis;
  use.from.memory -= replica.memoryBytes;
  use.from.apps.set(replica.appId, (use.from.apps.get(replica.appId) ?? 1) - 1);
  if (use.from.apps.get(replica.appId) === 0) {
    use.from.apps.delete(replica.appId);
  }
  replica.hostPorts.forEach((port) => use.from.ports.delete(`${port.protocol}/${port.port}`));
  recordPlacement(use.to, { ...fakeRequest(), ...replica, replicas: 1 });
}

/**
 * Applies a re-pack's moves one at a time to the snapshot and lists every broken rule: each
 * move must fit its target at that point in the sequence, with the app's rules. Also checks the
 * reported node counts. Empty is good.
 */
export function verifyRepack(
  snapshot: TSnapshot,
  specs: readonly TAppSpec[],
  plan: TRepackPlan,
): string[] {
  const state: TMoveState = {
    nodes: new Map(snapshot.nodes.map((node) => [node.id, node])),
    usage: usageOf(snapshot),
    specs: new Map(specs.map((spec) => [spec.appId, spec])),
  };
  const replicas = new Map(snapshot.replicas.map((replica) => [replica.id, { ...replica }]));
  const found = plan.moves.flatMap((move) => replayMove(snapshot, state, replicas, move));

  return [...found, ...checkNodesUsed(snapshot, [...replicas.values()], plan)];
}

function replayMove(
  snapshot: TSnapshot,
  state: TMoveState,
  replicas: Map<string, TSnapshotReplica>,
  move: TRepackMove,
): string[] {
  const replica = replicas.get(move.replicaId);
  const from = state.usage.get(move.from);
  const to = state.usage.get(move.to);
  if (!replica || replica.nodeId !== move.from || !from || !to) {
    return [`move ${move.replicaId} does not match the snapshot`];
  }
  const found = moveViolations(snapshot, state, replica, move.to);
  applyMove({ from, to }, replica);
  replica.nodeId = move.to;

  return found;
}

function checkNodesUsed(
  snapshot: TSnapshot,
  replicas: readonly TSnapshotReplica[],
  plan: TRepackPlan,
): string[] {
  const used = new Set(replicas.map((replica) => replica.nodeId));
  const schedulable = snapshot.nodes.filter(
    (node) => node.status === "ready" && node.availability === "active",
  );
  const usedAfter = schedulable.filter((node) => used.has(node.id)).length;

  return usedAfter === plan.nodesUsed
    ? []
    : [`plan says ${plan.nodesUsed} nodes used, the moves leave ${usedAfter}`];
}
