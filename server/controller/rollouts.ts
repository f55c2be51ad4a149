/**
 * A rollout's end, from the reconciler's plan: marked failed (and, when the spec asks, rolled
 * back to the revision it started from) or succeeded, once each, with its event.
 */
import type { Logger } from "pino";

import { SYSTEM_AUTHOR, maskedSpecOf, rollbackApp } from "@/server/apps/service";
import { SYSTEM_ACTOR } from "@/server/auth/principal";
import { publishChange } from "@/server/bus";
import type { PrismaClient } from "@/server/db/generated/client";
import { type TEventInput, announceEvent, recordEvent } from "@/server/events/service";

export type TRolloutContext = { db: PrismaClient; log: Logger };

/** Records an app's event, then tells viewers of the app and of events. */
export async function announceAppEvent(
  db: PrismaClient,
  appId: string,
  event: TEventInput,
): Promise<void> {
  const eventId = await recordEvent(db, event);
  await publishChange({ topic: "app", appId });
  await announceEvent(eventId);
}

/**
 * Marks the rollout failed (once, whatever the passes) and, when the spec asks for it, rolls
 * back to the revision it started from as a new revision made by Berth.
 */
export async function failRollout(
  { db, log }: TRolloutContext,
  appId: string,
  rolloutId: string,
  message: string,
): Promise<boolean> {
  const { count } = await db.rollout.updateMany({
    where: { id: rolloutId, state: "progressing" },
    data: { state: "failed", message, finishedAt: new Date() },
  });
  if (count === 0) {
    return false;
  }
  const rollout = await db.rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    include: { app: { include: { currentRevision: true } } },
  });
  const name = rollout.app.name;
  const current = rollout.app.currentRevision;
  const canRollBack =
    current !== null && maskedSpecOf(current).update.autoRollback && rollout.fromNumber !== null;
  log.warn({ appId, rolloutId, reason: message }, "rollout failed");
  await announceAppEvent(db, appId, {
    kind: "app.rolloutFailed",
    severity: "error",
    message:
      `update of ${name} to revision ${rollout.toNumber} failed: ${message}. ` +
      (canRollBack
        ? `Rolling back to revision ${rollout.fromNumber}.`
        : "It is held: old replicas keep serving until you roll back or deploy a fix."),
    actor: SYSTEM_ACTOR,
    appId,
    data: { rolloutId, to: rollout.toNumber, from: rollout.fromNumber },
  });
  if (canRollBack && rollout.fromNumber !== null) {
    await rollBack({ db, log }, { appId, rolloutId, name, message }, rollout.fromNumber);
  }

  return true;
}

type TFailedRollout = { appId: string; rolloutId: string; name: string; message: string };

/**
 * The automatic rollback. When Berth cannot make the rollback revision (the old spec's
 * service port was taken since, the app is being deleted, the database failed), the update
 * stays held; the rollout and an error event say why and what to do, so a person sees it.
 */
async function rollBack(
  { db, log }: TRolloutContext,
  failed: TFailedRollout,
  fromNumber: number,
): Promise<void> {
  const { appId, rolloutId, name } = failed;
  try {
    await rollbackApp(db, appId, fromNumber, SYSTEM_AUTHOR, { isAutomatic: true });

    return;
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).trim().replace(/\.$/, "");
    const advice =
      `Old replicas keep serving. Fix what stopped it and roll back to revision ${fromNumber} ` +
      "under Revisions, or deploy a fix.";
    log.error({ appId, rolloutId, err: error }, "automatic rollback failed");
    await db.rollout.updateMany({
      where: { id: rolloutId },
      data: { message: `${failed.message}; rolling back failed: ${why}. ${advice}` },
    });
    await announceAppEvent(db, appId, {
      kind: "app.rollbackFailed",
      severity: "error",
      message: `automatic rollback of ${name} to revision ${fromNumber} failed: ${why}. ${advice}`,
      actor: SYSTEM_ACTOR,
      appId,
      data: { rolloutId, to: fromNumber, error: why },
    });
  }
}

export async function completeRollout(
  { db, log }: TRolloutContext,
  appId: string,
  rolloutId: string,
): Promise<boolean> {
  const { count } = await db.rollout.updateMany({
    where: { id: rolloutId, state: "progressing" },
    data: { state: "succeeded", message: null, finishedAt: new Date() },
  });
  if (count === 0) {
    return false;
  }
  const rollout = await db.rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    include: { app: true },
  });
  log.info({ appId, rolloutId }, "rollout done");
  await announceAppEvent(db, appId, {
    kind: "app.rolloutSucceeded",
    message: `${rollout.app.name} runs revision ${rollout.toNumber} on every replica`,
    actor: SYSTEM_ACTOR,
    appId,
    data: { rolloutId, to: rollout.toNumber, from: rollout.fromNumber },
  });

  return true;
}
