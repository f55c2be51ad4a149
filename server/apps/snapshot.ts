/**
 * The bridge from the database to the pure scheduler: builds a `TSnapshot` from nodes,
 * replicas and revisions, and answers "where would this go?" (dry run) and "what if this node
 * died?" without changing anything.
 *
 * Sections: 1 pure conversions, 2 reading the database, 3 dry run and what-if, with their
 * views (node names beside ids, so people can read them).
 */
import { z } from "zod";

import type { Node, PrismaClient, ReplicaState, Revision } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";
import {
  type TAppSpec as TSchedulerAppSpec,
  type THostPort,
  type TPlacementRequest,
  type TPlacementResult,
  type TSchedulerNode,
  type TSnapshot,
  type TSnapshotReplica,
  planPlacement,
  whatIfNodeDies,
} from "@/server/scheduler";

import { maskedSpecOf } from "./service";
import { MILLIS_PER_CPU, type TAppSpec } from "./spec";

// ---------------------------------------------------------------------------------------------
// 1. Pure conversions
// ---------------------------------------------------------------------------------------------

/**
 * Replicas in these states hold their node's CPU, memory and host ports. A stopped, failed or
 * unplaced replica holds nothing; a pending one holds its node once it has one.
 */
export const HOLDING_STATES = [
  "pending",
  "placed",
  "starting",
  "running",
  "stopping",
] as const satisfies readonly ReplicaState[];

const ZStoredLabels = z.record(z.string(), z.string());

export type TNodeRow = Pick<
  Node,
  "id" | "name" | "health" | "availability" | "labels" | "cpus" | "memoryBytes"
>;

/** Fixed host ports a replica of `spec` publishes. */
export function hostPortsOf(spec: Pick<TAppSpec, "ports">): THostPort[] {
  return spec.ports.flatMap((port) =>
    port.hostPort === undefined ? [] : [{ port: port.hostPort, protocol: port.protocol }],
  );
}

/** Host ports taken on each node by the given replicas, per protocol, sorted. */
export function usedHostPortsByNode(
  replicas: readonly Pick<TSnapshotReplica, "nodeId" | "hostPorts">[],
): Map<string, TSchedulerNode["usedHostPorts"]> {
  const byNode = new Map<string, { tcp: Set<number>; udp: Set<number> }>();
  for (const replica of replicas) {
    const used = byNode.get(replica.nodeId) ?? { tcp: new Set(), udp: new Set() };
    for (const { port, protocol } of replica.hostPorts) {
      used[protocol].add(port);
    }
    byNode.set(replica.nodeId, used);
  }
  const sorted = (ports: Set<number>) => [...ports].sort((a, b) => a - b);

  return new Map(
    [...byNode].map(([nodeId, used]) => [nodeId, { tcp: sorted(used.tcp), udp: sorted(used.udp) }]),
  );
}

/**
 * A node row as the scheduler sees it: whole CPUs become millicores. Images are not known
 * yet, so requests say nodes may pull (`canPull`).
 */
export function toSchedulerNode(
  node: TNodeRow,
  usedHostPorts: TSchedulerNode["usedHostPorts"] = { tcp: [], udp: [] },
): TSchedulerNode {
  return {
    id: node.id,
    name: node.name,
    status: node.health,
    availability: node.availability,
    labels: ZStoredLabels.catch({}).parse(node.labels),
    cpuMillis: node.cpus * MILLIS_PER_CPU,
    memoryBytes: Number(node.memoryBytes),
    images: new Set(),
    // TODO(scheduler): ports published by containers Berth does not own are not read yet.
    usedHostPorts,
  };
}

/** A replica's reservation: what its own revision requests, on its node. */
export function toSnapshotReplica(
  replica: { id: string; appId: string; nodeId: string },
  spec: TAppSpec,
): TSnapshotReplica {
  return {
    id: replica.id,
    appId: replica.appId,
    nodeId: replica.nodeId,
    cpuMillis: spec.resources.cpuRequestMillis,
    memoryBytes: spec.resources.memoryRequestBytes,
    hostPorts: hostPortsOf(spec),
  };
}

/**
 * What the scheduler needs of an app. Anti-affinity names become app ids through
 * `idsByName`; a name with no app yet has no replicas to avoid, so it is left out.
 */
export function toSchedulerSpec(
  appId: string,
  spec: TAppSpec,
  idsByName: ReadonlyMap<string, string>,
): TSchedulerAppSpec {
  const { placement, resources } = spec;

  return {
    appId,
    cpuMillis: resources.cpuRequestMillis,
    memoryBytes: resources.memoryRequestBytes,
    hostPorts: hostPortsOf(spec),
    image: spec.image,
    canPull: true,
    placement: {
      strategy: placement.strategy,
      constraints: placement.constraints,
      maxPerNode: placement.maxPerNode ?? null,
      antiAffinity: placement.antiAffinity.flatMap((name) => idsByName.get(name) ?? []),
      spreadBy: placement.spreadBy ?? null,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Reading the database
// ---------------------------------------------------------------------------------------------

/** The snapshot, with each app's current spec (for what-if) and names for the views. */
export type TLoadedCluster = {
  snapshot: TSnapshot;
  specsByAppId: Map<string, TSchedulerAppSpec>;
  appIdsByName: Map<string, string>;
  appNames: Map<string, string>;
  nodeNames: Map<string, string>;
};

/**
 * Reads nodes, holding replicas and their revisions, and every app's current revision.
 * Secrets stay sealed: placement needs none of them.
 */
export async function loadCluster(db: TDb): Promise<TLoadedCluster> {
  const [nodes, replicas, apps] = await Promise.all([
    db.node.findMany({ orderBy: { name: "asc" } }),
    db.replica.findMany({
      where: { nodeId: { not: null }, state: { in: [...HOLDING_STATES] } },
      include: { revision: true },
      orderBy: { id: "asc" },
    }),
    db.app.findMany({ include: { currentRevision: true } }),
  ]);
  const appIdsByName = new Map(apps.map((app) => [app.name, app.id]));
  // Many replicas share a revision: parse each revision's spec once.
  const specsByRevision = new Map<string, TAppSpec>();
  const specOf = (revision: Revision) => {
    const spec = specsByRevision.get(revision.id) ?? maskedSpecOf(revision);
    specsByRevision.set(revision.id, spec);

    return spec;
  };
  const held = replicas.flatMap(({ nodeId, revision, ...replica }) =>
    nodeId === null ? [] : [toSnapshotReplica({ ...replica, nodeId }, specOf(revision))],
  );
  const specs = apps.flatMap((app) =>
    app.currentRevision
      ? [toSchedulerSpec(app.id, maskedSpecOf(app.currentRevision), appIdsByName)]
      : [],
  );
  const ports = usedHostPortsByNode(held);
  const antiAffinity = Object.fromEntries(
    specs.map((spec) => [spec.appId, spec.placement.antiAffinity]),
  );

  return {
    snapshot: {
      nodes: nodes.map((node) => toSchedulerNode(node, ports.get(node.id))),
      replicas: held,
      antiAffinity,
    },
    specsByAppId: new Map(specs.map((spec) => [spec.appId, spec])),
    appIdsByName,
    appNames: new Map(apps.map((app) => [app.id, app.name])),
    nodeNames: new Map(nodes.map((node) => [node.id, node.name])),
  };
}

/** The snapshot the scheduler would see now. */
export async function loadSnapshot(db: TDb): Promise<TSnapshot> {
  return (await loadCluster(db)).snapshot;
}

// ---------------------------------------------------------------------------------------------
// 3. Dry run and what-if
// ---------------------------------------------------------------------------------------------

export const ZDryRunResult = z.object({
  appName: z.string(),
  replicas: z.number().int(),
  nodesConsidered: z.number().int(),
  placements: z.array(
    z.object({
      replicaIndex: z.number().int(),
      nodeId: z.string(),
      nodeName: z.string(),
      score: z.number(),
      message: z.string(),
    }),
  ),
  unplaced: z.array(
    z.object({
      replicaIndex: z.number().int(),
      reasonCounts: z.record(z.string(), z.number().int()),
      message: z.string(),
    }),
  ),
});

export const ZWhatIfResult = z.object({
  nodeId: z.string(),
  nodeName: z.string(),
  displaced: z.number().int(),
  moves: z.array(
    z.object({
      replicaId: z.string(),
      slot: z.number().int(),
      appId: z.string(),
      appName: z.string(),
      toNodeId: z.string(),
      toNodeName: z.string(),
      score: z.number(),
    }),
  ),
  unplaced: z.array(
    z.object({
      replicaId: z.string(),
      slot: z.number().int(),
      appId: z.string(),
      appName: z.string(),
      message: z.string(),
    }),
  ),
  unknownApps: z.array(z.string()),
});

export type TDryRunResult = z.infer<typeof ZDryRunResult>;
export type TWhatIfView = z.infer<typeof ZWhatIfResult>;

/** A spec to try, or an existing app's current spec, with an optional replica count. */
export type TDryRunInput = { spec?: TAppSpec; appId?: string; replicas?: number; seed: number };

/** Stands for an app that does not exist yet; never a real id, which is a UUID. */
const NEW_APP_ID = "new-app";

/** The plan as people read it: node names beside ids, one line per replica. */
export function toDryRunResult(
  appName: string,
  result: TPlacementResult,
  nodeNames: ReadonlyMap<string, string>,
): TDryRunResult {
  const messages = new Map(
    result.explanation.replicas.map((replica) => [replica.replicaIndex, replica.message]),
  );

  return {
    appName,
    replicas: result.plan.placements.length + result.plan.unplaced.length,
    nodesConsidered: result.explanation.replicas[0]?.nodesConsidered ?? nodeNames.size,
    placements: result.plan.placements.map((placement) => ({
      replicaIndex: placement.replicaIndex,
      nodeId: placement.nodeId,
      nodeName: nodeNames.get(placement.nodeId) ?? placement.nodeId,
      score: placement.score,
      message: messages.get(placement.replicaIndex) ?? "",
    })),
    unplaced: result.plan.unplaced.map(({ replicaIndex, reasonCounts, message }) => ({
      replicaIndex,
      reasonCounts,
      message,
    })),
  };
}

async function dryRunSpec(db: PrismaClient, input: TDryRunInput) {
  if (input.spec) {
    const existing = await db.app.findUnique({ where: { name: input.spec.name } });

    return { appId: existing?.id ?? NEW_APP_ID, spec: input.spec };
  }
  if (!input.appId) {
    throw new BerthError("INVALID_INPUT", "Give either a spec or an app id.", { field: "spec" });
  }
  const app = await db.app.findUnique({
    where: { id: input.appId },
    include: { currentRevision: true },
  });
  if (!app?.currentRevision) {
    throw new BerthError("NOT_FOUND", "No app with this id. It may have been removed.");
  }

  return { appId: app.id, spec: maskedSpecOf(app.currentRevision) };
}

/**
 * Where the app's replicas would go now, placed afresh beside every other app's replicas
 * (its own are left out of the snapshot). Changes nothing.
 */
export async function dryRun(db: PrismaClient, input: TDryRunInput): Promise<TDryRunResult> {
  const { appId, spec } = await dryRunSpec(db, input);
  const cluster = await loadCluster(db);
  // The app's own stored rules give way to the spec being tried.
  const antiAffinity = Object.fromEntries(
    Object.entries(cluster.snapshot.antiAffinity ?? {}).filter(([id]) => id !== appId),
  );
  const snapshot: TSnapshot = {
    ...cluster.snapshot,
    replicas: cluster.snapshot.replicas.filter((replica) => replica.appId !== appId),
    antiAffinity,
  };
  const request: TPlacementRequest = {
    ...toSchedulerSpec(appId, spec, cluster.appIdsByName),
    replicas: input.replicas ?? spec.replicas,
  };
  const result = planPlacement(snapshot, request, input.seed);

  return toDryRunResult(spec.name, result, cluster.nodeNames);
}

/** Where a node's replicas would go if it died now, each app with its current spec. */
export async function whatIf(db: PrismaClient, nodeId: string, seed: number): Promise<TWhatIfView> {
  const cluster = await loadCluster(db);
  const nodeName = cluster.nodeNames.get(nodeId);
  if (nodeName === undefined) {
    throw new BerthError("NOT_FOUND", "No node with this id. It may have been removed.");
  }
  const result = whatIfNodeDies(cluster.snapshot, nodeId, [...cluster.specsByAppId.values()], seed);
  const appName = (appId: string) => cluster.appNames.get(appId) ?? appId;
  const rows = await db.replica.findMany({
    where: { nodeId },
    select: { id: true, slot: true },
  });
  const slots = new Map(rows.map((row) => [row.id, row.slot]));

  return {
    nodeId,
    nodeName,
    displaced: result.displaced,
    moves: result.moves.map((move) => ({
      replicaId: move.replicaId,
      slot: slots.get(move.replicaId) ?? 0,
      appId: move.appId,
      appName: appName(move.appId),
      toNodeId: move.to,
      toNodeName: cluster.nodeNames.get(move.to) ?? move.to,
      score: move.score,
    })),
    unplaced: result.unplaced.map((stranded) => ({
      replicaId: stranded.replicaId,
      slot: slots.get(stranded.replicaId) ?? 0,
      appId: stranded.appId,
      appName: appName(stranded.appId),
      message: stranded.message,
    })),
    unknownApps: result.unknownApps,
  };
}
