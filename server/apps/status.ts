/**
 * What an app is doing right now, as people read it: each replica with its node, state,
 * health and address; the rollout in progress (or the last one); and one status word for the
 * whole app.
 */
import { z } from "zod";

import type { ReplicaHealth, ReplicaState, RolloutState } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";

export const APP_STATUSES = [
  "running",
  "degraded",
  "down",
  "pending",
  "stopped",
  "updating",
  "updateFailed",
  "deleting",
] as const;

export type TAppStatus = (typeof APP_STATUSES)[number];

const REPLICA_HEALTHS = [
  "none",
  "starting",
  "healthy",
  "unhealthy",
] as const satisfies readonly ReplicaHealth[];

const ROLLOUT_STATES = [
  "progressing",
  "succeeded",
  "failed",
  "superseded",
] as const satisfies readonly RolloutState[];

const ZPublished = z.object({
  containerPort: z.number().int(),
  protocol: z.string(),
  hostIp: z.string(),
  hostPort: z.number().int(),
});

const ZCandidate = z.object({
  nodeName: z.string(),
  score: z.number(),
  scoresByScorer: z.record(z.string(), z.number()),
});

/** The scheduler's stored explanation, as much of it as the app page shows. */
export const ZPlacementExplanation = z.object({
  nodesConsidered: z.number().int(),
  nodesFeasible: z.number().int(),
  reasonCounts: z.record(z.string(), z.number().int()),
  candidates: z.array(ZCandidate),
  message: z.string(),
});

export const ZReplicaView = z.object({
  id: z.string(),
  slot: z.number().int(),
  revision: z.number().int(),
  nodeId: z.string().nullable(),
  nodeName: z.string().nullable(),
  state: z.string(),
  health: z.enum(REPLICA_HEALTHS),
  healthMessage: z.string().nullable(),
  isReady: z.boolean(),
  lastError: z.string().nullable(),
  /** What a starting replica waits on, e.g. an image pull's progress. */
  progress: z.string().nullable(),
  restartCount: z.number().int(),
  restartAt: z.date().nullable(),
  containerId: z.string().nullable(),
  ports: z.array(ZPublished),
  startedAt: z.date().nullable(),
  createdAt: z.date(),
  explanation: ZPlacementExplanation.nullable(),
});

export const ZRolloutView = z.object({
  id: z.string(),
  state: z.enum(ROLLOUT_STATES),
  fromRevision: z.number().int().nullable(),
  toRevision: z.number().int(),
  message: z.string().nullable(),
  isAutomatic: z.boolean(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  /** Replicas of the new revision, those of them ready, and the old ones still there. */
  progress: z.object({
    desired: z.number().int(),
    updated: z.number().int(),
    ready: z.number().int(),
    old: z.number().int(),
  }),
});

export type TReplicaView = z.infer<typeof ZReplicaView>;
export type TRolloutView = z.infer<typeof ZRolloutView>;

type TReadiness = { state: ReplicaState; health: ReplicaHealth };

/** Running, and passing its health check when it has one. */
export function isReplicaReady(replica: TReadiness): boolean {
  return replica.state === "running" && (replica.health === "none" || replica.health === "healthy");
}

/** One word for the app, most pressing first. */
export function appStatusOf(input: {
  desired: number;
  ready: number;
  replicas: number;
  rolloutState?: RolloutState;
  isDeleting: boolean;
}): TAppStatus {
  if (input.isDeleting) {
    return "deleting";
  }
  if (input.rolloutState === "progressing") {
    return "updating";
  }
  if (input.rolloutState === "failed") {
    return "updateFailed";
  }
  if (input.desired === 0) {
    return input.replicas === 0 ? "stopped" : "pending";
  }
  if (input.ready >= input.desired) {
    return "running";
  }
  if (input.ready > 0) {
    return "degraded";
  }

  return input.replicas > 0 && input.ready === 0 ? "down" : "pending";
}

function explanationOf(stored: unknown): TReplicaView["explanation"] {
  const parsed = ZPlacementExplanation.safeParse(stored);

  return parsed.success ? parsed.data : null;
}

function portsOf(stored: unknown): TReplicaView["ports"] {
  const parsed = z.array(ZPublished).safeParse(stored);

  return parsed.success ? parsed.data : [];
}

/** An app's replicas, by slot, newest first within a slot. */
export async function listReplicas(db: TDb, appId: string): Promise<TReplicaView[]> {
  const rows = await db.replica.findMany({
    where: { appId },
    orderBy: [{ slot: "asc" }, { createdAt: "desc" }],
    include: { node: { select: { name: true } }, revision: { select: { number: true } } },
  });

  return rows.map((row) => ({
    id: row.id,
    slot: row.slot,
    revision: row.revision.number,
    nodeId: row.nodeId,
    nodeName: row.node?.name ?? null,
    state: row.state,
    health: row.health,
    healthMessage: row.healthMessage,
    isReady: isReplicaReady(row),
    lastError: row.lastError,
    progress: row.progress,
    restartCount: row.restartCount,
    restartAt: row.restartAt,
    containerId: row.containerId,
    ports: portsOf(row.hostPorts),
    startedAt: row.startedAt,
    createdAt: row.createdAt,
    explanation: explanationOf(row.explanation),
  }));
}

/** Ready replicas per app, and all replicas per app. */
export async function readinessByApp(db: TDb, appIds: string[]) {
  const rows = await db.replica.findMany({
    where: { appId: { in: appIds } },
    select: { appId: true, state: true, health: true },
  });
  const byApp = new Map(appIds.map((id) => [id, { ready: 0, replicas: 0 }]));
  for (const row of rows) {
    const entry = byApp.get(row.appId);
    if (entry) {
      entry.replicas += 1;
      entry.ready += isReplicaReady(row) ? 1 : 0;
    }
  }

  return byApp;
}

/** The newest rollout of each app, keyed by app id. */
export async function latestRollouts(db: TDb, appIds: string[]) {
  const rollouts = await db.rollout.findMany({
    where: { appId: { in: appIds } },
    orderBy: { createdAt: "desc" },
    distinct: ["appId"],
  });

  return new Map(rollouts.map((rollout) => [rollout.appId, rollout]));
}

/** The app's newest rollout with its progress, or null when it never had one. */
export async function rolloutView(
  db: TDb,
  appId: string,
  desired: number,
): Promise<TRolloutView | null> {
  const rollout = (await latestRollouts(db, [appId])).get(appId);
  if (!rollout) {
    return null;
  }
  const replicas = await db.replica.findMany({
    where: { appId },
    select: { state: true, health: true, revision: { select: { number: true } } },
  });
  const updated = replicas.filter((r) => r.revision.number >= rollout.toNumber);

  return {
    id: rollout.id,
    state: rollout.state,
    fromRevision: rollout.fromNumber,
    toRevision: rollout.toNumber,
    message: rollout.message,
    isAutomatic: rollout.isAutomatic,
    createdAt: rollout.createdAt,
    finishedAt: rollout.finishedAt,
    progress: {
      desired,
      updated: updated.length,
      ready: updated.filter(isReplicaReady).length,
      old: replicas.length - updated.length,
    },
  };
}
