/**
 * Leadership by a lease row in PostgreSQL. The holder renews it; when it lapses another
 * controller takes it and the epoch goes up, so work stamped with an old epoch can be told
 * apart. Times come from the database clock, so controllers on skewed machines agree.
 */
import type { PrismaClient } from "@/server/db/generated/client";

export const CONTROLLER_LEASE = "controller";

export type TLeaseResult = { isLeader: true; epoch: number } | { isLeader: false };

/** Takes or renews the lease for `ttlMs`; succeeds when it is ours or has expired. */
export async function acquireLease(
  db: PrismaClient,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<TLeaseResult> {
  const seconds = ttlMs / 1000;
  const rows = await db.$queryRaw<{ epoch: number }[]>`
    INSERT INTO "Lease" ("name", "holder", "epoch", "expiresAt", "updatedAt")
    VALUES (${name}, ${holder}, 1, now() + make_interval(secs => ${seconds}), now())
    ON CONFLICT ("name") DO UPDATE SET
      "holder" = EXCLUDED."holder",
      "epoch" = CASE WHEN "Lease"."holder" = EXCLUDED."holder"
                     THEN "Lease"."epoch" ELSE "Lease"."epoch" + 1 END,
      "expiresAt" = EXCLUDED."expiresAt",
      "updatedAt" = now()
    WHERE "Lease"."holder" = EXCLUDED."holder" OR "Lease"."expiresAt" < now()
    RETURNING "epoch"`;
  const row = rows[0];

  return row ? { isLeader: true, epoch: Number(row.epoch) } : { isLeader: false };
}

/** Gives the lease up at once, so a standby controller need not wait for it to lapse. */
export async function releaseLease(db: PrismaClient, name: string, holder: string) {
  await db.$executeRaw`
    UPDATE "Lease" SET "expiresAt" = now() WHERE "name" = ${name} AND "holder" = ${holder}`;
}

/**
 * Whether the lease still holds at `epoch` and has not lapsed: a fence checked before a
 * leader acts, so one that lost the lease mid-pass (a pause, a partition) stops instead of
 * acting beside its successor.
 */
export async function holdsLease(db: PrismaClient, name: string, epoch: number) {
  const rows = await db.$queryRaw<{ held: boolean }[]>`
    SELECT ("epoch" = ${epoch} AND "expiresAt" > now()) AS "held"
    FROM "Lease" WHERE "name" = ${name}`;

  return rows[0]?.held === true;
}
