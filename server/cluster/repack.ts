/**
 * Re-packing the cluster: the offline plan (`planRepack`) shown as nodes freed and moves
 * needed, and applying it. An applied re-pack is a row whose moves run one at a time: the
 * reconciler marks a replica to move, the replica's successor starts on the target node, and
 * only once the successor is ready does the replica stop. Then the next move starts.
 */
import { z } from "zod";

import type { TActor } from "@/server/auth/principal";
import { SYSTEM_ACTOR } from "@/server/auth/principal";
import type { PrismaClient, Repack } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";
import { loadCluster } from "@/server/apps/snapshot";
import { planRepack } from "@/server/scheduler/repack";

/** A move whose successor is not ready by then is given up, and the re-pack with it. */
export const MOVE_TIMEOUT_MS = 3 * 60 * 1000;

const MOVE_STATES = ["pending", "moving", "done", "skipped", "failed"] as const;

const ZMove = z.object({
  replicaId: z.string(),
  appId: z.string(),
  appName: z.string(),
  slot: z.number().int(),
  from: z.string(),
  fromName: z.string(),
  to: z.string(),
  toName: z.string(),
  state: z.enum(MOVE_STATES),
  message: z.string().nullable(),
  startedAt: z.number().nullable(),
});

export const ZRepackPlanView = z.object({
  moves: z.array(ZMove),
  nodesUsedBefore: z.number().int(),
  nodesUsed: z.number().int(),
  nodesFreed: z.array(z.string()),
  lowerBound: z.number().int(),
  /** Replicas the plan leaves where they are: their app has no spec it knows. */
  pinnedReplicas: z.number().int(),
  computeMs: z.number(),
});

const REPACK_STATES = ["running", "succeeded", "failed", "cancelled"] as const;

export const ZRepackView = z.object({
  id: z.string(),
  state: z.enum(REPACK_STATES),
  moves: z.array(ZMove),
  nodesFreed: z.array(z.string()),
  nodesBefore: z.number().int(),
  nodesAfter: z.number().int(),
  message: z.string().nullable(),
  createdByName: z.string(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

type TMove = z.infer<typeof ZMove>;
export type TRepackPlanView = z.infer<typeof ZRepackPlanView>;
export type TRepackView = z.infer<typeof ZRepackView>;

/** The plan for the cluster as it is now, with names for people. */
export async function previewRepack(db: PrismaClient): Promise<TRepackPlanView> {
  const cluster = await loadCluster(db);
  const startedAt = performance.now();
  const plan = planRepack(cluster.snapshot, [...cluster.specsByAppId.values()]);
  const computeMs = performance.now() - startedAt;
  const slots = new Map(
    (
      await db.replica.findMany({
        where: { id: { in: plan.moves.map((move) => move.replicaId) } },
        select: { id: true, slot: true },
      })
    ).map((row) => [row.id, row.slot]),
  );
  const nameOf = (id: string) => cluster.nodeNames.get(id) ?? id;

  return {
    moves: plan.moves.map((move) => ({
      replicaId: move.replicaId,
      appId: move.appId,
      appName: cluster.appNames.get(move.appId) ?? move.appId,
      slot: slots.get(move.replicaId) ?? 0,
      from: move.from,
      fromName: nameOf(move.from),
      to: move.to,
      toName: nameOf(move.to),
      state: "pending",
      message: null,
      startedAt: null,
    })),
    nodesUsedBefore: plan.nodesUsedBefore,
    nodesUsed: plan.nodesUsed,
    nodesFreed: plan.nodesFreed.map(nameOf),
    lowerBound: plan.lowerBound,
    pinnedReplicas: plan.pinnedReplicas,
    computeMs: Math.round(computeMs * 10) / 10,
  };
}

function toView(repack: Repack): TRepackView {
  return {
    id: repack.id,
    state: repack.state,
    moves: z.array(ZMove).parse(repack.moves),
    nodesFreed: z.array(z.string()).parse(repack.nodesFreed),
    nodesBefore: repack.nodesBefore,
    nodesAfter: repack.nodesAfter,
    message: repack.message,
    createdByName: repack.createdByName,
    createdAt: repack.createdAt,
    finishedAt: repack.finishedAt,
  };
}

/** The newest re-pack, running or not; null when none was ever applied. */
export async function latestRepack(db: PrismaClient): Promise<TRepackView | null> {
  const repack = await db.repack.findFirst({ orderBy: { createdAt: "desc" } });

  return repack ? toView(repack) : null;
}

async function announce(db: PrismaClient, event: Parameters<typeof recordEvent>[1]) {
  await announceEvent(await recordEvent(db, event));
}

/** Plans afresh and starts applying; one re-pack runs at a time. */
export async function applyRepack(db: PrismaClient, actor: TActor): Promise<TRepackView> {
  if (await db.repack.findFirst({ where: { state: "running" } })) {
    throw new BerthError("CONFLICT", "A re-pack is running already: wait for it or cancel it.");
  }
  const plan = await previewRepack(db);
  if (plan.moves.length === 0) {
    throw new BerthError(
      "CONFLICT",
      `Nothing to move: the ${plan.nodesUsedBefore} node(s) in use are as few as the plan can get.`,
    );
  }
  const repack = await db.repack.create({
    data: {
      moves: plan.moves,
      nodesFreed: plan.nodesFreed,
      nodesBefore: plan.nodesUsedBefore,
      nodesAfter: plan.nodesUsed,
      createdByName: actor.name,
    },
  });
  await announce(db, {
    kind: "cluster.repackStarted",
    message:
      `re-pack started: ${plan.moves.length} move(s) to free ${plan.nodesFreed.length} ` +
      `node(s) (${plan.nodesFreed.join(", ") || "none"})`,
    actor,
    data: { repackId: repack.id, moves: plan.moves.length },
  });

  return toView(repack);
}

/** Stops a running re-pack after the move in flight is called off; done moves stay done. */
export async function cancelRepack(db: PrismaClient, actor: TActor): Promise<TRepackView> {
  const repack = await db.repack.findFirst({ where: { state: "running" } });
  if (!repack) {
    throw new BerthError("CONFLICT", "No re-pack is running.");
  }
  const moves = z.array(ZMove).parse(repack.moves);
  for (const move of moves.filter((m) => m.state === "moving" || m.state === "pending")) {
    move.state = "skipped";
    move.message = "cancelled";
  }
  const updated = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Repack" WHERE "id" = ${repack.id}::uuid FOR UPDATE`;
    await tx.replica.updateMany({
      where: { moveToNodeId: { not: null } },
      data: { moveToNodeId: null },
    });

    return finish(tx, repack.id, moves, "cancelled", `cancelled by ${actor.name}`);
  });
  await announce(db, {
    kind: "cluster.repackCancelled",
    message: `re-pack cancelled by ${actor.name}`,
    actor,
    data: { repackId: repack.id },
  });

  return toView(updated);
}

function finish(
  db: TDb,
  id: string,
  moves: TMove[],
  state: Repack["state"],
  message: string | null,
) {
  return db.repack.update({
    where: { id },
    data: { moves: moves, state, message, finishedAt: new Date() },
  });
}

function save(db: PrismaClient, id: string, moves: TMove[]) {
  return db.repack.update({ where: { id }, data: { moves: moves } });
}

function describeMove(move: TMove, index: number, count: number): string {
  return (
    `replica ${move.slot} of ${move.appName} from ${move.fromName} to ${move.toName} ` +
    `(move ${index + 1} of ${count})`
  );
}

/**
 * One step of the running re-pack, from the reconciler's pass: finish the move in flight once
 * its replica is gone (its successor took over), or start the next. True when it changed
 * something.
 */
export async function advanceRepack(db: PrismaClient, now: number): Promise<boolean> {
  const repack = await db.repack.findFirst({ where: { state: "running" } });
  if (!repack) {
    return false;
  }
  const moves = z.array(ZMove).parse(repack.moves);
  const index = moves.findIndex((m) => m.state === "pending" || m.state === "moving");
  const move = moves[index];
  if (!move) {
    const done = moves.filter((m) => m.state === "done").length;
    const message = `${done} of ${moves.length} move(s) done`;
    await finish(db, repack.id, moves, "succeeded", message);
    await announce(db, {
      kind: "cluster.repackSucceeded",
      message: `re-pack finished: ${message}; freed ${repack.nodesBefore - repack.nodesAfter} node(s)`,
      actor: SYSTEM_ACTOR,
      data: { repackId: repack.id },
    });

    return true;
  }
  const replica = await db.replica.findUnique({ where: { id: move.replicaId } });
  if (move.state === "moving") {
    if (!replica) {
      move.state = "done";
      await save(db, repack.id, moves);

      return true;
    }
    if (now - (move.startedAt ?? now) <= MOVE_TIMEOUT_MS) {
      return false;
    }
    await db.replica.update({ where: { id: replica.id }, data: { moveToNodeId: null } });
    move.state = "failed";
    move.message = `its successor on ${move.toName} was not ready within ${MOVE_TIMEOUT_MS / 1000} s`;
    await finish(db, repack.id, moves, "failed", move.message);
    await announce(db, {
      kind: "cluster.repackFailed",
      severity: "error",
      message: `re-pack stopped: ${describeMove(move, index, moves.length)}: ${move.message}`,
      actor: SYSTEM_ACTOR,
      appId: move.appId,
      data: { repackId: repack.id },
    });

    return true;
  }
  const target = await db.node.findUnique({ where: { id: move.to } });
  const why =
    !replica || replica.nodeId !== move.from || replica.state !== "running"
      ? "the replica changed since the plan"
      : target?.health !== "ready" || target.availability !== "active"
        ? `${move.toName} is no longer ready and active`
        : undefined;
  if (why) {
    move.state = "skipped";
    move.message = why;
    await save(db, repack.id, moves);

    return true;
  }
  move.state = "moving";
  move.startedAt = now;
  // Under the re-pack's row lock, and only while it runs: a cancel never leaves a move behind.
  const isStarted = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Repack" WHERE "id" = ${repack.id}::uuid FOR UPDATE`;
    const { count } = await tx.repack.updateMany({
      where: { id: repack.id, state: "running" },
      data: { moves },
    });
    if (count > 0) {
      await tx.replica.update({ where: { id: move.replicaId }, data: { moveToNodeId: move.to } });
    }

    return count > 0;
  });
  if (!isStarted) {
    return false;
  }
  await announce(db, {
    kind: "cluster.repackMove",
    message: `moving ${describeMove(move, index, moves.length)}`,
    actor: SYSTEM_ACTOR,
    appId: move.appId,
    data: { repackId: repack.id, replicaId: move.replicaId },
  });

  return true;
}
