/**
 * The bridge from the database to the pure scheduler: builds a `TSnapshot` from nodes (with
 * their inventories), replicas and revisions, and answers "what if this node died?" without
 * changing anything. Dry runs are in `dry-run.ts`.
 *
 * Sections: 1 pure conversions, 2 reading the database, 3 what-if, with its view (node names
 * beside ids, so people can read them).
 */
import { z } from "zod";

import type { Node, PrismaClient, ReplicaState, Revision } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { env } from "@/server/env";
import { BerthError } from "@/server/errors";
import { foreignPortsAt } from "@/server/nodes/inventory";
import {
  type TAppSpec as TSchedulerAppSpec,
  type THostPort,
  type TSchedulerNode,
  type TSnapshot,
  type TSnapshotReplica,
  imageKeys,
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
  | "id"
  | "name"
  | "health"
  | "availability"
  | "labels"
  | "cpus"
  | "memoryBytes"
  | "advertiseAddress"
  | "images"
  | "foreignHostPorts"
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

function mergePorts(
  a: TSchedulerNode["usedHostPorts"],
  b: TSchedulerNode["usedHostPorts"],
): TSchedulerNode["usedHostPorts"] {
  const merged = (x: readonly number[], y: readonly number[]) =>
    [...new Set([...x, ...y])].sort((m, n) => m - n);

  return { tcp: merged(a.tcp, b.tcp), udp: merged(a.udp, b.udp) };
}

/**
 * A node row as the scheduler sees it: whole CPUs become millicores; its images and the host
 * ports that containers Berth does not own hold there come from its stored inventory, beside
 * the ports Berth's own replicas hold (`usedHostPorts`).
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
    images: imageKeys(node.images),
    usedHostPorts: mergePorts(
      usedHostPorts,
      foreignPortsAt(node.advertiseAddress, node.foreignHostPorts),
    ),
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
 * `idsByName`; a name with no app yet has no replicas to avoid, so it is left out. `canPull`
 * is the process's BERTH_PULL_IMAGES: without it, only nodes that hold the image fit.
 */
export function toSchedulerSpec(
  appId: string,
  spec: TAppSpec,
  idsByName: ReadonlyMap<string, string>,
  canPull: boolean,
): TSchedulerAppSpec {
  const { placement, resources } = spec;

  return {
    appId,
    appName: spec.name,
    cpuMillis: resources.cpuRequestMillis,
    memoryBytes: resources.memoryRequestBytes,
    hostPorts: hostPortsOf(spec),
    image: spec.image,
    canPull,
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

/** Whether nodes may pull images a spec names; the process's BERTH_PULL_IMAGES by default. */
export type TClusterOptions = { canPull?: boolean };

/**
 * Reads nodes (with their inventories), holding replicas and their revisions, and every app's
 * current revision. Secrets stay sealed: placement needs none of them.
 */
export async function loadCluster(
  db: TDb,
  { canPull = env().BERTH_PULL_IMAGES }: TClusterOptions = {},
): Promise<TLoadedCluster> {
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
      ? [toSchedulerSpec(app.id, maskedSpecOf(app.currentRevision), appIdsByName, canPull)]
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
// 3. What-if
// ---------------------------------------------------------------------------------------------

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

export type TWhatIfView = z.infer<typeof ZWhatIfResult>;

/** Where a node's replicas would go if it died now, each app with its current spec. */
export async function whatIf(
  db: PrismaClient,
  nodeId: string,
  seed: number,
  options: TClusterOptions = {},
): Promise<TWhatIfView> {
  const cluster = await loadCluster(db, options);
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
