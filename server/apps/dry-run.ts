/**
 * Dry runs: "where would this go?", answered by the scheduler on the database's snapshot,
 * writing nothing.
 *
 * A spec being typed (a new app, or an edit that replaces every replica) is placed afresh
 * beside every other app's replicas. An existing app by id, with or without a new replica
 * count, is planned as the reconciler would act on a scale: its replicas keep their slots and
 * nodes, slots at or past the new count go away (freeing what they held), and only the slots
 * left without a replica are placed.
 *
 * Sections: 1 the view, 2 slots of a scale (pure), 3 planning.
 */
import { z } from "zod";

import type { PrismaClient } from "@/server/db/generated/client";
import { BerthError } from "@/server/errors";
import {
  type TPlacementRequest,
  type TPlacementResult,
  type TSnapshot,
  placementSeed,
  planPlacement,
} from "@/server/scheduler";

import { maskedSpecOf } from "./service";
import { type TLoadedCluster, loadCluster, toSchedulerSpec } from "./snapshot";
import type { TAppSpec } from "./spec";

// ---------------------------------------------------------------------------------------------
// 1. The view: node names beside ids, one line per replica
// ---------------------------------------------------------------------------------------------

const ZSlotReplica = z.object({
  slot: z.number().int(),
  replicaId: z.string(),
  nodeId: z.string().nullable(),
  nodeName: z.string().nullable(),
  state: z.string(),
});

export const ZDryRunResult = z.object({
  appName: z.string(),
  /** The replica count planned for. */
  replicas: z.number().int(),
  nodesConsidered: z.number().int(),
  /** Where each slot without a replica would go; `replicaIndex` counts the planned ones. */
  placements: z.array(
    z.object({
      replicaIndex: z.number().int(),
      slot: z.number().int(),
      nodeId: z.string(),
      nodeName: z.string(),
      score: z.number(),
      message: z.string(),
    }),
  ),
  unplaced: z.array(
    z.object({
      replicaIndex: z.number().int(),
      slot: z.number().int(),
      reasonCounts: z.record(z.string(), z.number().int()),
      message: z.string(),
    }),
  ),
  /** An existing app's replicas that stay where they are. */
  kept: z.array(ZSlotReplica),
  /** An existing app's replicas that a smaller count removes. */
  removed: z.array(ZSlotReplica),
});

export type TDryRunResult = z.infer<typeof ZDryRunResult>;

/**
 * A spec to try, or an existing app's current spec, with an optional replica count. Without a
 * seed, the app's own placement seed: the one the controller places with.
 */
export type TDryRunInput = { spec?: TAppSpec; appId?: string; replicas?: number; seed?: number };

/** Whether nodes may pull a missing image: the process's BERTH_PULL_IMAGES. */
export type TDryRunOptions = { canPull: boolean };

type TSlotReplica = z.infer<typeof ZSlotReplica>;

/** Stands for an app that does not exist yet; never a real id, which is a UUID. */
const NEW_APP_ID = "new-app";

/** The slots a plan fills, and what it keeps and removes of an existing app. */
type TPlannedSlots = {
  replicas: number;
  /** `slots[i]` is the slot the i-th planned replica fills. */
  slots: readonly number[];
  kept: TSlotReplica[];
  removed: TSlotReplica[];
};

/** A fresh plan fills slots 0..n−1 and keeps nothing. */
function freshSlots(result: TPlacementResult): TPlannedSlots {
  const count = result.plan.placements.length + result.plan.unplaced.length;

  return { replicas: count, slots: [...Array(count).keys()], kept: [], removed: [] };
}

/** The plan as people read it. */
export function toDryRunResult(
  appName: string,
  result: TPlacementResult,
  nodeNames: ReadonlyMap<string, string>,
  planned: TPlannedSlots = freshSlots(result),
): TDryRunResult {
  const messages = new Map(
    result.explanation.replicas.map((replica) => [replica.replicaIndex, replica.message]),
  );
  const slotOf = (index: number) => planned.slots[index] ?? index;

  return {
    appName,
    replicas: planned.replicas,
    nodesConsidered: result.explanation.replicas[0]?.nodesConsidered ?? nodeNames.size,
    placements: result.plan.placements.map((placement) => ({
      replicaIndex: placement.replicaIndex,
      slot: slotOf(placement.replicaIndex),
      nodeId: placement.nodeId,
      nodeName: nodeNames.get(placement.nodeId) ?? placement.nodeId,
      score: placement.score,
      message: messages.get(placement.replicaIndex) ?? "",
    })),
    unplaced: result.plan.unplaced.map(({ replicaIndex, reasonCounts, message }) => ({
      replicaIndex,
      slot: slotOf(replicaIndex),
      reasonCounts,
      message,
    })),
    kept: planned.kept,
    removed: planned.removed,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Slots of a scale
// ---------------------------------------------------------------------------------------------

export type TSlotRow = { id: string; slot: number; nodeId: string | null; state: string };

export type TScaleSlots<R extends TSlotRow> = {
  /** Rows in slots below the count that hold a node: they stay. */
  kept: R[];
  /** Rows in slots at or past the count: the reconciler removes them. */
  removed: R[];
  /** Slots below the count with no row on a node: the reconciler places these. */
  toPlace: number[];
};

/**
 * What a scale to `replicas` does to an app's rows, as the reconciler sorts them: a row keeps
 * its slot and node while its slot is below the count; rows past it go; a slot with no row,
 * or only a row still waiting for a node, is placed.
 */
export function scaleSlots<R extends TSlotRow>(rows: readonly R[], replicas: number) {
  const bySlot = (a: R, b: R) => a.slot - b.slot;
  const kept = rows.filter((row) => row.slot < replicas && row.nodeId !== null).sort(bySlot);
  const removed = rows.filter((row) => row.slot >= replicas).sort(bySlot);
  const held = new Set(kept.map((row) => row.slot));
  const toPlace = [...Array(replicas).keys()].filter((slot) => !held.has(slot));

  return { kept, removed, toPlace } satisfies TScaleSlots<R>;
}

// ---------------------------------------------------------------------------------------------
// 3. Planning
// ---------------------------------------------------------------------------------------------

async function currentSpecOf(db: PrismaClient, appId: string) {
  const app = await db.app.findUnique({
    where: { id: appId },
    include: { currentRevision: true },
  });
  if (!app?.currentRevision) {
    throw new BerthError("NOT_FOUND", "No app with this id. It may have been removed.");
  }

  return maskedSpecOf(app.currentRevision);
}

/** A spec placed afresh: the app's own replicas and stored rules give way to the spec. */
async function dryRunFresh(
  db: PrismaClient,
  spec: TAppSpec,
  seed: number | undefined,
  { canPull }: TDryRunOptions,
): Promise<TDryRunResult> {
  const existing = await db.app.findUnique({ where: { name: spec.name } });
  const appId = existing?.id ?? NEW_APP_ID;
  const cluster = await loadCluster(db, { canPull });
  const antiAffinity = Object.fromEntries(
    Object.entries(cluster.snapshot.antiAffinity ?? {}).filter(([id]) => id !== appId),
  );
  const snapshot: TSnapshot = {
    ...cluster.snapshot,
    replicas: cluster.snapshot.replicas.filter((replica) => replica.appId !== appId),
    antiAffinity,
  };
  const request: TPlacementRequest = {
    ...toSchedulerSpec(appId, spec, cluster.appIdsByName, canPull),
    replicas: spec.replicas,
  };

  const result = planPlacement(snapshot, request, seed ?? placementSeed(spec.name));

  return toDryRunResult(spec.name, result, cluster.nodeNames);
}

function slotReplica(row: TSlotRow, cluster: TLoadedCluster): TSlotReplica {
  return {
    slot: row.slot,
    replicaId: row.id,
    nodeId: row.nodeId,
    nodeName: row.nodeId === null ? null : (cluster.nodeNames.get(row.nodeId) ?? row.nodeId),
    state: row.state,
  };
}

/**
 * An existing app scaled to `replicas` (its own count when not given): kept replicas go on
 * holding their nodes, removed ones free theirs, and only the empty slots are placed.
 */
async function dryRunScale(
  db: PrismaClient,
  appId: string,
  replicas: number | undefined,
  seed: number | undefined,
  { canPull }: TDryRunOptions,
): Promise<TDryRunResult> {
  const spec = await currentSpecOf(db, appId);
  const count = replicas ?? spec.replicas;
  const [cluster, rows] = await Promise.all([
    loadCluster(db, { canPull }),
    db.replica.findMany({
      where: { appId },
      select: { id: true, slot: true, nodeId: true, state: true },
    }),
  ]);
  const { kept, removed, toPlace } = scaleSlots(rows, count);
  const removedIds = new Set(removed.map((row) => row.id));
  const snapshot: TSnapshot = {
    ...cluster.snapshot,
    replicas: cluster.snapshot.replicas.filter((replica) => !removedIds.has(replica.id)),
  };
  const request: TPlacementRequest = {
    ...toSchedulerSpec(appId, spec, cluster.appIdsByName, canPull),
    replicas: toPlace.length,
  };
  const result = planPlacement(snapshot, request, seed ?? placementSeed(spec.name));

  return toDryRunResult(spec.name, result, cluster.nodeNames, {
    replicas: count,
    slots: toPlace,
    kept: kept.map((row) => slotReplica(row, cluster)),
    removed: removed.map((row) => slotReplica(row, cluster)),
  });
}

/** Where replicas would go now, for a spec or for an existing app (see the module's note). */
export async function dryRun(
  db: PrismaClient,
  input: TDryRunInput,
  options: TDryRunOptions,
): Promise<TDryRunResult> {
  if (input.spec) {
    const spec = { ...input.spec, replicas: input.replicas ?? input.spec.replicas };

    return dryRunFresh(db, spec, input.seed, options);
  }
  if (!input.appId) {
    throw new BerthError("INVALID_INPUT", "Give either a spec or an app id.", { field: "spec" });
  }

  return dryRunScale(db, input.appId, input.replicas, input.seed, options);
}
