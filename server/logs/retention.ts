/**
 * Stored-log retention: per app, lines older than logRetentionHours go, then the oldest lines
 * beyond logRetentionBytes (sizes approximated by the octet length of the text). Lines of
 * deleted apps go too. Each run deletes at most a bounded number of rows per rule, so a large
 * backlog is worked off over several runs without long locks.
 */
import type { PrismaClient } from "@/server/db/generated/client";

/** Rows one rule may delete for one app in one run. */
export const RETENTION_BATCH_ROWS = 5000;

export type TRetentionResult = { byAge: number; bySize: number; orphaned: number };

async function deleteByAge(db: PrismaClient, appId: string, hours: number, limit: number) {
  return db.$executeRaw`
    DELETE FROM "LogLine" WHERE id IN (
      SELECT id FROM "LogLine"
      WHERE "appId" = ${appId}::uuid AND at < now() - make_interval(hours => ${hours})
      LIMIT ${limit})`;
}

/** Keeps the newest lines whose running total of octets stays within `bytes`. */
async function deleteBySize(db: PrismaClient, appId: string, bytes: bigint, limit: number) {
  return db.$executeRaw`
    DELETE FROM "LogLine" WHERE id IN (
      SELECT id FROM (
        SELECT id, sum(octet_length(line)) OVER (ORDER BY at DESC, id DESC) AS total
        FROM "LogLine" WHERE "appId" = ${appId}::uuid
      ) newest_first
      WHERE total > ${bytes}
      LIMIT ${limit})`;
}

async function deleteOrphans(db: PrismaClient, limit: number) {
  return db.$executeRaw`
    DELETE FROM "LogLine" WHERE id IN (
      SELECT l.id FROM "LogLine" l
      WHERE NOT EXISTS (SELECT 1 FROM "App" a WHERE a.id = l."appId")
      LIMIT ${limit})`;
}

/** Applies every app's retention once; returns how many lines each rule deleted. */
export async function applyLogRetention(
  db: PrismaClient,
  limit = RETENTION_BATCH_ROWS,
): Promise<TRetentionResult> {
  const apps = await db.app.findMany({
    select: { id: true, logRetentionHours: true, logRetentionBytes: true },
  });
  const result: TRetentionResult = { byAge: 0, bySize: 0, orphaned: 0 };
  for (const app of apps) {
    result.byAge += await deleteByAge(db, app.id, app.logRetentionHours, limit);
    result.bySize += await deleteBySize(db, app.id, app.logRetentionBytes, limit);
  }
  result.orphaned = await deleteOrphans(db, limit);
  // A cursor resumes a container that a replica still names; the others are never read again.
  await db.$executeRaw`
    DELETE FROM "LogCursor" c
    WHERE c."updatedAt" < now() - interval '1 day'
      AND NOT EXISTS (SELECT 1 FROM "Replica" r WHERE r."containerId" = c."containerId")`;

  return result;
}
