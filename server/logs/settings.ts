/** How long and how much of an app's log is kept: read and changed per app by operators. */
import { z } from "zod";

import type { TActor } from "@/server/auth/principal";
import type { PrismaClient } from "@/server/db/generated/client";
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";

const MAX_RETENTION_HOURS = 24 * 366;
const MIN_RETENTION_BYTES = 1024 * 1024;
const MAX_RETENTION_BYTES = 1024 ** 4;

export const ZLogRetention = z.object({
  logRetentionHours: z
    .number("logRetentionHours must be a number of hours")
    .int("logRetentionHours must be a whole number of hours")
    .min(1, "logRetentionHours must be at least 1 hour")
    .max(MAX_RETENTION_HOURS, `logRetentionHours must be at most ${MAX_RETENTION_HOURS} hours`),
  logRetentionBytes: z
    .number("logRetentionBytes must be a number of bytes")
    .int("logRetentionBytes must be a whole number of bytes")
    .min(MIN_RETENTION_BYTES, "logRetentionBytes must be at least 1 MiB (1048576)")
    .max(MAX_RETENTION_BYTES, "logRetentionBytes must be at most 1 TiB"),
});

export const ZLogRetentionUpdate = ZLogRetention.extend({ appId: z.uuid("must be an app id") });

export type TLogRetention = z.infer<typeof ZLogRetention>;

async function requireApp(db: PrismaClient, appId: string) {
  const app = await db.app.findUnique({
    where: { id: appId },
    select: { id: true, name: true, logRetentionHours: true, logRetentionBytes: true },
  });
  if (!app) {
    throw new BerthError("NOT_FOUND", "No app with this id. It may have been deleted.", {
      field: "appId",
    });
  }

  return app;
}

export async function getLogRetention(db: PrismaClient, appId: string): Promise<TLogRetention> {
  const app = await requireApp(db, appId);

  return {
    logRetentionHours: app.logRetentionHours,
    logRetentionBytes: Number(app.logRetentionBytes),
  };
}

/** Changes an app's log retention and records who did; the next retention run applies it. */
export async function updateLogRetention(
  db: PrismaClient,
  input: z.infer<typeof ZLogRetentionUpdate>,
  actor: TActor,
): Promise<TLogRetention> {
  const app = await requireApp(db, input.appId);
  const eventId = await db.$transaction(async (tx) => {
    await tx.app.update({
      where: { id: app.id },
      data: {
        logRetentionHours: input.logRetentionHours,
        logRetentionBytes: BigInt(input.logRetentionBytes),
      },
    });

    return recordEvent(tx, {
      kind: "app.logRetentionChanged",
      message:
        `${actor.name} set the log retention of ${app.name} to ` +
        `${input.logRetentionHours} h and ${input.logRetentionBytes} bytes`,
      actor,
      appId: app.id,
      data: {
        logRetentionHours: input.logRetentionHours,
        logRetentionBytes: input.logRetentionBytes,
      },
    });
  });
  await announceEvent(eventId);

  return { logRetentionHours: input.logRetentionHours, logRetentionBytes: input.logRetentionBytes };
}
