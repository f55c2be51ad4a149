/**
 * Stats reads: history from StatSample (containers summed per time bucket for an app or a
 * node), the newest point per id for lists, and the live points of a replica, app or node.
 */
import { maskedSpecOf } from "@/server/apps/service";
import { Prisma, type PrismaClient } from "@/server/db/generated/client";
import { BerthError } from "@/server/errors";

import { percentOf } from "./maths";
import { ROLLUP_RESOLUTION_SEC, SAMPLE_RESOLUTION_SEC } from "./rollup";
import type { TStatHistory, TStatPoint, TStatRange, TStatScope } from "./schema";

/** Replicas in these states hold their reservation on their node. */
const RESERVING_STATES = ["placed", "starting", "running", "stopping"] as const;
const MILLIS_PER_PERCENT = 10;

export type TStatTarget = { scope: TStatScope; id: string };

const RANGE_MS: Record<TStatRange, number> = {
  "15m": 15 * 60 * 1000,
  "1h": 3600 * 1000,
  "24h": 24 * 3600 * 1000,
  "7d": 7 * 24 * 3600 * 1000,
};

/** 10 s points for the short ranges (90 to 360 points), 60 s for the long (1,440 to 10,080). */
export function resolutionOf(range: TStatRange): number {
  return range === "15m" || range === "1h" ? SAMPLE_RESOLUTION_SEC : ROLLUP_RESOLUTION_SEC;
}

/** A sample counts as current for this long: three collector rounds. */
const CURRENT_WITHIN_MS = 30_000;

const SCOPE_COLUMN: Record<TStatScope, Prisma.Sql> = {
  replica: Prisma.raw(`"replicaId"`),
  app: Prisma.raw(`"appId"`),
  node: Prisma.raw(`"nodeId"`),
};

type TSumRow = {
  key: string;
  epoch: number;
  cpu: number;
  mem: number;
  lim: number;
  rx: number;
  tx: number;
  br: number;
  bw: number;
};

function pointOfRow(row: TSumRow, limitBytes?: number): TStatPoint {
  const memoryLimitBytes = limitBytes ?? row.lim;

  return {
    at: new Date(row.epoch * 1000),
    cpuPercent: row.cpu,
    memoryBytes: row.mem,
    memoryLimitBytes,
    memoryPercent: percentOf(row.mem, memoryLimitBytes),
    netRxBps: row.rx,
    netTxBps: row.tx,
    blockReadBps: row.br,
    blockWriteBps: row.bw,
  };
}

/** A node's memory, which its point counts against; undefined for other scopes. */
async function limitOf(db: PrismaClient, target: TStatTarget): Promise<number | undefined> {
  if (target.scope !== "node") {
    return undefined;
  }
  const node = await db.node.findUnique({ where: { id: target.id } });

  return node ? Number(node.memoryBytes) : undefined;
}

/** A node's CPUs and memory, and what the replicas placed on it request. */
async function capacityOf(db: PrismaClient, nodeId: string) {
  const node = await db.node.findUnique({ where: { id: nodeId } });
  if (!node) {
    return undefined;
  }
  const replicas = await db.replica.findMany({
    where: { nodeId, state: { in: [...RESERVING_STATES] } },
    include: { revision: true },
  });
  const requests = replicas.map((replica) => maskedSpecOf(replica.revision).resources);

  return {
    cpuPercent: node.cpus * 100,
    memoryBytes: Number(node.memoryBytes),
    reservedCpuPercent:
      requests.reduce((sum, r) => sum + r.cpuRequestMillis, 0) / MILLIS_PER_PERCENT,
    reservedMemoryBytes: requests.reduce((sum, r) => sum + r.memoryRequestBytes, 0),
  };
}

function epochSql(date: Date): Prisma.Sql {
  return Prisma.sql`(to_timestamp(${date.getTime() / 1000}::float8) AT TIME ZONE 'UTC')`;
}

/**
 * A target's points over `range`: each container's mean per bucket, then the containers
 * summed per bucket. The long ranges also read the 10 s samples of the last day, rolled into
 * 60 s buckets here, so the chart has no hole where the roll-up has not reached yet.
 */
export async function statHistory(
  db: PrismaClient,
  target: TStatTarget,
  range: TStatRange,
  now = new Date(),
): Promise<TStatHistory> {
  const res = resolutionOf(range);
  const from = new Date(now.getTime() - RANGE_MS[range]);
  const column = SCOPE_COLUMN[target.scope];
  const rows = await db.$queryRaw<TSumRow[]>`
    SELECT '' AS key, per.epoch::float8 AS epoch,
      sum(per.cpu)::float8 AS cpu, sum(per.mem)::float8 AS mem, sum(per.lim)::float8 AS lim,
      sum(per.rx)::float8 AS rx, sum(per.tx)::float8 AS tx,
      sum(per.br)::float8 AS br, sum(per.bw)::float8 AS bw
    FROM (
      SELECT "containerId", floor(extract(epoch FROM "at") / ${res}) * ${res} AS epoch,
        avg("cpuPercent") AS cpu, avg("memoryBytes")::float8 AS mem,
        max("memoryLimitBytes")::float8 AS lim, avg("netRxBps") AS rx, avg("netTxBps") AS tx,
        avg("blockReadBps") AS br, avg("blockWriteBps") AS bw
      FROM "StatSample"
      WHERE ${column} = ${target.id}::uuid AND "resolution" <= ${res}
        AND "at" >= ${epochSql(from)}
      GROUP BY 1, 2
    ) per
    GROUP BY per.epoch
    ORDER BY per.epoch`;
  const limit = await limitOf(db, target);
  const capacity = target.scope === "node" ? await capacityOf(db, target.id) : undefined;

  return {
    range,
    resolutionSec: res,
    points: rows.map((row) => pointOfRow(row, limit)),
    ...(capacity ? { capacity } : {}),
  };
}

/** The newest point of each id (its containers summed at their newest round), for lists. */
export async function currentStats(
  db: PrismaClient,
  scope: TStatScope,
  ids: string[],
  now = new Date(),
): Promise<Record<string, TStatPoint>> {
  if (ids.length === 0) {
    return {};
  }
  const column = SCOPE_COLUMN[scope];
  const since = new Date(now.getTime() - CURRENT_WITHIN_MS);
  const rows = await db.$queryRaw<TSumRow[]>`
    WITH latest AS (
      SELECT ${column} AS key, max("at") AS at FROM "StatSample"
      WHERE "resolution" = ${SAMPLE_RESOLUTION_SEC} AND ${column} = ANY(${ids}::uuid[])
        AND "at" >= ${epochSql(since)}
      GROUP BY 1
    )
    SELECT l.key::text AS key, extract(epoch FROM l.at)::float8 AS epoch,
      sum(s."cpuPercent")::float8 AS cpu, sum(s."memoryBytes")::float8 AS mem,
      sum(s."memoryLimitBytes")::float8 AS lim, sum(s."netRxBps")::float8 AS rx,
      sum(s."netTxBps")::float8 AS tx, sum(s."blockReadBps")::float8 AS br,
      sum(s."blockWriteBps")::float8 AS bw
    FROM "StatSample" s JOIN latest l ON s.${column} = l.key AND s."at" = l.at
    WHERE s."resolution" = ${SAMPLE_RESOLUTION_SEC}
    GROUP BY l.key, l.at`;
  const limits =
    scope === "node"
      ? new Map(
          (await db.node.findMany({ where: { id: { in: ids } } })).map((node) => [
            node.id,
            Number(node.memoryBytes),
          ]),
        )
      : new Map<string, number>();

  return Object.fromEntries(rows.map((row) => [row.key, pointOfRow(row, limits.get(row.key))]));
}

/**
 * The newest 10 s sample of each container, at most CURRENT_WITHIN_MS old, by container id:
 * for lists of containers, where a container may be any replica's (or none's).
 */
export async function currentStatsOfContainers(
  db: PrismaClient,
  containerIds: string[],
  now = new Date(),
): Promise<Map<string, TStatPoint>> {
  if (containerIds.length === 0) {
    return new Map();
  }
  const since = new Date(now.getTime() - CURRENT_WITHIN_MS);
  const rows = await db.$queryRaw<TSumRow[]>`
    SELECT DISTINCT ON ("containerId") "containerId" AS key,
      extract(epoch FROM "at")::float8 AS epoch, "cpuPercent"::float8 AS cpu,
      "memoryBytes"::float8 AS mem, "memoryLimitBytes"::float8 AS lim, "netRxBps" AS rx,
      "netTxBps" AS tx, "blockReadBps" AS br, "blockWriteBps" AS bw
    FROM "StatSample"
    WHERE "resolution" = ${SAMPLE_RESOLUTION_SEC} AND "at" >= ${epochSql(since)}
      AND "containerId" = ANY(${containerIds}::text[])
    ORDER BY "containerId", "at" DESC`;

  return new Map(rows.map((row) => [row.key, pointOfRow(row)]));
}

/** Fails with NOT_FOUND when the target names nothing, so a typo is not an empty chart. */
export async function requireTarget(db: PrismaClient, target: TStatTarget): Promise<void> {
  const where = { where: { id: target.id }, select: { id: true } };
  const found =
    target.scope === "replica"
      ? await db.replica.findUnique(where)
      : target.scope === "app"
        ? await db.app.findUnique(where)
        : await db.node.findUnique(where);
  if (!found) {
    throw new BerthError("NOT_FOUND", `No ${target.scope} with this id. It may have been removed.`);
  }
}
