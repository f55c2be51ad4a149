/**
 * "What if this node dies?": re-places the node's replicas on the rest of the cluster with each
 * app's own placement rules, and says what could not be re-placed and why.
 */
import { BerthError } from "../errors";
import { type TClusterState, compileSnapshot } from "./cluster";
import { placeReplicas } from "./plan";
import {
  type TAppSpec,
  type TExplanation,
  type TReasonCounts,
  type TSnapshot,
  type TSnapshotReplica,
} from "./types";

export type TWhatIfMove = { replicaId: string; appId: string; to: string; score: number };

export type TWhatIfStranded = {
  replicaId: string;
  appId: string;
  reasonCounts: TReasonCounts;
  message: string;
};

export type TWhatIfResult = {
  nodeId: string;
  /** Replicas that ran on the node. */
  displaced: number;
  moves: TWhatIfMove[];
  /** Replicas no other node can take, with the reasons per node. */
  unplaced: TWhatIfStranded[];
  /** Replicas whose app has no spec: they cannot be re-placed without one. */
  unknownApps: string[];
  explanations: Record<string, TExplanation>;
};

/** Largest first, as first-fit-decreasing does: big replicas have the fewest homes. */
function compareSpecs(a: TAppSpec, b: TAppSpec): number {
  return (
    b.memoryBytes - a.memoryBytes ||
    b.cpuMillis - a.cpuMillis ||
    (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0)
  );
}

function groupByApp(replicas: readonly TSnapshotReplica[]): Map<string, TSnapshotReplica[]> {
  const byApp = new Map<string, TSnapshotReplica[]>();
  const sorted = [...replicas].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const replica of sorted) {
    byApp.set(replica.appId, [...(byApp.get(replica.appId) ?? []), replica]);
  }

  return byApp;
}

/** The snapshot as it would be the moment the node dies: unreachable, its replicas gone. */
function withoutNode(snapshot: TSnapshot, nodeId: string): TSnapshot {
  return {
    ...snapshot,
    nodes: snapshot.nodes.map((node) =>
      node.id === nodeId ? { ...node, status: "unreachable" as const } : node,
    ),
    replicas: snapshot.replicas.filter((replica) => replica.nodeId !== nodeId),
  };
}

/** Re-places one app's lost replicas and records where each went, or why it did not. */
function replaceApp(
  state: TClusterState,
  spec: TAppSpec,
  replicas: readonly TSnapshotReplica[],
  seed: number,
  result: TWhatIfResult,
): void {
  const placed = placeReplicas(state, { ...spec, replicas: replicas.length }, seed);
  const { appId } = spec;
  result.explanations[appId] = placed.explanation;
  for (const { replicaIndex, nodeId, score } of placed.plan.placements) {
    const replicaId = replicas[replicaIndex]?.id ?? "";
    result.moves.push({ replicaId, appId, to: nodeId, score });
  }
  for (const { replicaIndex, reasonCounts, message } of placed.plan.unplaced) {
    const replicaId = replicas[replicaIndex]?.id ?? "";
    result.unplaced.push({ replicaId, appId, reasonCounts, message });
  }
}

/**
 * Where the replicas of `nodeId` would go if it died now. Apps are re-placed largest first,
 * each with its own strategy and rules, against capacity that shrinks as earlier apps land.
 */
export function whatIfNodeDies(
  snapshot: TSnapshot,
  nodeId: string,
  appSpecs: readonly TAppSpec[],
  seed: number,
): TWhatIfResult {
  if (!snapshot.nodes.some((node) => node.id === nodeId)) {
    throw new BerthError("NOT_FOUND", `Node ${nodeId} is not in the snapshot.`, { nodeId });
  }
  const lost = groupByApp(snapshot.replicas.filter((replica) => replica.nodeId === nodeId));
  const specById = new Map(appSpecs.map((spec) => [spec.appId, spec]));
  const state = compileSnapshot(withoutNode(snapshot, nodeId));
  const result: TWhatIfResult = {
    nodeId,
    displaced: [...lost.values()].reduce((sum, list) => sum + list.length, 0),
    moves: [],
    unplaced: [],
    unknownApps: [...lost.keys()].filter((appId) => !specById.has(appId)),
    explanations: {},
  };
  const specs = [...lost.keys()].flatMap((appId) => specById.get(appId) ?? []).sort(compareSpecs);
  specs.forEach((spec) => replaceApp(state, spec, lost.get(spec.appId) ?? [], seed, result));

  return result;
}
