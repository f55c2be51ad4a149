/**
 * Keeps stats history small: 10 s samples older than a day become 60 s points, and 60 s points
 * older than the retention are deleted. Each step is one transaction, so a crash never leaves a
 * window both rolled up and kept, or deleted and not rolled up.
 */
import type { PrismaClient } from "@/server/db/generated/client";

import { type TKeyedPoint, bucketOf, downsample } from "./maths";

export const SAMPLE_RESOLUTION_SEC = 10;
export const ROLLUP_RESOLUTION_SEC = 60;
/** 10 s samples are kept this long, then rolled up (enough for the 15 min and 1 h charts). */
export const ROLLUP_AFTER_MS = 24 * 3600 * 1000;
/** One roll-up transaction covers at most this much time, to keep it short. */
const ROLLUP_WINDOW_MS = 10 * 60 * 1000;
/** At most this many windows per pass (6 h); a backlog is worked off over several passes. */
const MAX_WINDOWS_PER_PASS = 36;

type TRollupResult = { rolled: number; written: number; expired: number };

async function rollUpWindow(db: PrismaClient, from: Date, to: Date) {
  const where = { resolution: SAMPLE_RESOLUTION_SEC, at: { gte: from, lt: to } };
  const rows = await db.statSample.findMany({ where });
  const byKey = new Map(rows.map((row) => [row.containerId, row]));
  const points: TKeyedPoint[] = rows.map((row) => ({
    key: row.containerId,
    at: row.at,
    cpuPercent: row.cpuPercent,
    memoryBytes: Number(row.memoryBytes),
    memoryLimitBytes: Number(row.memoryLimitBytes),
    memoryPercent: 0,
    netRxBps: row.netRxBps,
    netTxBps: row.netTxBps,
    blockReadBps: row.blockReadBps,
    blockWriteBps: row.blockWriteBps,
  }));
  const rolled = downsample(points, ROLLUP_RESOLUTION_SEC).map((point) => {
    const row = byKey.get(point.key);

    return {
      at: point.at,
      resolution: ROLLUP_RESOLUTION_SEC,
      appId: row?.appId ?? null,
      replicaId: row?.replicaId ?? null,
      nodeId: row?.nodeId ?? "",
      containerId: point.key,
      cpuPercent: point.cpuPercent,
      memoryBytes: BigInt(Math.round(point.memoryBytes)),
      memoryLimitBytes: BigInt(Math.round(point.memoryLimitBytes)),
      netRxBps: point.netRxBps,
      netTxBps: point.netTxBps,
      blockReadBps: point.blockReadBps,
      blockWriteBps: point.blockWriteBps,
    };
  });
  await db.$transaction([
    db.statSample.createMany({ data: rolled }),
    db.statSample.deleteMany({ where }),
  ]);

  return { rolled: rows.length, written: rolled.length };
}

/**
 * One pass: rolls up whole minutes of 10 s samples older than ROLLUP_AFTER_MS, oldest first,
 * then deletes 60 s points older than `retentionDays`.
 */
export async function rollUpStats(
  db: PrismaClient,
  now: Date,
  retentionDays: number,
): Promise<TRollupResult> {
  const cutoff = bucketOf(new Date(now.getTime() - ROLLUP_AFTER_MS), ROLLUP_RESOLUTION_SEC);
  const result: TRollupResult = { rolled: 0, written: 0, expired: 0 };
  for (let i = 0; i < MAX_WINDOWS_PER_PASS; i += 1) {
    const oldest = await db.statSample.findFirst({
      where: { resolution: SAMPLE_RESOLUTION_SEC, at: { lt: cutoff } },
      orderBy: { at: "asc" },
      select: { at: true },
    });
    if (!oldest) {
      break;
    }
    const from = bucketOf(oldest.at, ROLLUP_RESOLUTION_SEC);
    const to = new Date(Math.min(from.getTime() + ROLLUP_WINDOW_MS, cutoff.getTime()));
    const window = await rollUpWindow(db, from, to);
    result.rolled += window.rolled;
    result.written += window.written;
  }
  const expiredBefore = new Date(now.getTime() - retentionDays * 24 * 3600 * 1000);
  const expired = await db.statSample.deleteMany({ where: { at: { lt: expiredBefore } } });
  result.expired = expired.count;

  return result;
}
