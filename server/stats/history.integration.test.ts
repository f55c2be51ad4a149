/**
 * Stats history in PostgreSQL: 10 s samples older than a day are rolled into 60 s means, 60 s
 * points past the retention are deleted, and the charts read both resolutions as one series.
 * A node's history carries its capacity and what its replicas reserve, and /metrics serves
 * each replica's newest sample. Database only: the samples are written here, as the
 * collector writes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { collectMetrics } from "@/server/metrics/collect";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";

import { ROLLUP_RESOLUTION_SEC, SAMPLE_RESOLUTION_SEC, rollUpStats } from "./rollup";
import { statHistory } from "./service";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const MIB = 1024 * 1024;
const RETENTION_DAYS = 14;
/** A whole minute, so that its six 10 s samples fall in one 60 s bucket. */
const NOW = new Date(Math.floor(Date.parse("2026-06-15T12:00:30Z") / MINUTE_MS) * MINUTE_MS);

let db: PrismaClient;
let nodeId = "";
let appId = "";
let replicaId = "";

type TSampleAt = { at: Date; resolution: number; cpuPercent: number; containerId?: string };

function sample({ at, resolution, cpuPercent, containerId = "c1" }: TSampleAt) {
  return {
    at,
    resolution,
    appId,
    replicaId,
    nodeId,
    containerId,
    cpuPercent,
    memoryBytes: BigInt(100 * MIB),
    memoryLimitBytes: BigInt(512 * MIB),
    netRxBps: cpuPercent * 10,
    netTxBps: 0,
    blockReadBps: 0,
    blockWriteBps: 0,
  };
}

/** Six 10 s samples in the minute that starts at `minute`, CPU 10, 20, ... 60 (mean 35). */
function minuteOfSamples(minute: Date, containerId = "c1") {
  return Array.from({ length: 6 }, (_, i) =>
    sample({
      at: new Date(minute.getTime() + i * 10_000),
      resolution: SAMPLE_RESOLUTION_SEC,
      cpuPercent: (i + 1) * 10,
      containerId,
    }),
  );
}

beforeAll(async () => {
  db = await openTestDb();
  const operator = callerFor(db, await createPrincipal(db, "operator"));
  const node = await db.node.create({
    data: {
      name: "stats-node",
      transport: "tcp",
      endpoint: "127.0.0.250:2375",
      advertiseAddress: "127.0.0.250",
      cpus: 4,
      memoryBytes: BigInt(8 * 1024 * MIB),
      engineVersion: "test",
      apiVersion: "1.41",
      os: "linux",
      arch: "x86_64",
      kernelVersion: "test",
      engineName: "stats-node",
      engineId: "stats-node",
    },
  });
  nodeId = node.id;
  const app = await operator.app.create({
    name: "rolled",
    image: "berth-demo/web:1",
    resources: { cpuRequestMillis: 250, memoryRequestBytes: 128 * MIB },
  });
  appId = app.id;
  const revision = await db.revision.findFirstOrThrow({ where: { appId } });
  const replica = await db.replica.create({
    data: { appId, revisionId: revision.id, slot: 0, nodeId, state: "running" },
  });
  replicaId = replica.id;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("stats roll-up", () => {
  it("rolls old 10 s samples into 60 s means and deletes points past the retention", async () => {
    const twoDaysAgo = new Date(NOW.getTime() - 2 * DAY_MS);
    const recent = new Date(NOW.getTime() - 10 * MINUTE_MS);
    const expired = new Date(NOW.getTime() - (RETENTION_DAYS + 1) * DAY_MS);
    await db.statSample.createMany({
      data: [
        ...minuteOfSamples(twoDaysAgo, "c1"),
        ...minuteOfSamples(twoDaysAgo, "c2"),
        ...minuteOfSamples(recent, "c1"),
        sample({ at: expired, resolution: ROLLUP_RESOLUTION_SEC, cpuPercent: 99 }),
      ],
    });

    const result = await rollUpStats(db, NOW, RETENTION_DAYS);

    expect(result).toEqual({ rolled: 12, written: 2, expired: 1 });
    const rolled = await db.statSample.findMany({
      where: { resolution: ROLLUP_RESOLUTION_SEC },
      orderBy: { containerId: "asc" },
    });

    expect(rolled.map((row) => [row.containerId, row.at.getTime(), row.cpuPercent])).toEqual([
      ["c1", twoDaysAgo.getTime(), 35],
      ["c2", twoDaysAgo.getTime(), 35],
    ]);
    expect(rolled[0]?.netRxBps).toBe(350);
    expect(rolled[0]?.memoryBytes).toBe(BigInt(100 * MIB));
    expect(rolled[0]?.replicaId).toBe(replicaId);
    // The last day stays at 10 s.
    expect(await db.statSample.count({ where: { resolution: SAMPLE_RESOLUTION_SEC } })).toBe(6);

    // A second pass finds nothing left to do.
    expect(await rollUpStats(db, NOW, RETENTION_DAYS)).toEqual({
      rolled: 0,
      written: 0,
      expired: 0,
    });
  });

  it("charts 7 days from the roll-ups and the last day's samples as one 60 s series", async () => {
    const history = await statHistory(db, { scope: "app", id: appId }, "7d", NOW);

    expect(history.resolutionSec).toBe(ROLLUP_RESOLUTION_SEC);
    // Two days ago: c1 and c2 summed (35 + 35); ten minutes ago: c1's samples as one minute.
    expect(history.points.map((point) => [point.at.getTime(), point.cpuPercent])).toEqual([
      [NOW.getTime() - 2 * DAY_MS, 70],
      [NOW.getTime() - 10 * MINUTE_MS, 35],
    ]);

    const lastHour = await statHistory(db, { scope: "replica", id: replicaId }, "1h", NOW);

    expect(lastHour.resolutionSec).toBe(SAMPLE_RESOLUTION_SEC);
    expect(lastHour.points.map((point) => point.cpuPercent)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it("gives a node's capacity and what its replicas reserve beside its history", async () => {
    const history = await statHistory(db, { scope: "node", id: nodeId }, "24h", NOW);

    expect(history.capacity).toEqual({
      cpuPercent: 400,
      memoryBytes: 8 * 1024 * MIB,
      reservedCpuPercent: 25,
      reservedMemoryBytes: 128 * MIB,
    });
    expect(history.points).toHaveLength(1);
    expect(history.points[0]?.cpuPercent).toBe(35);
  });
});

describe("replica metrics", () => {
  it("serves each replica's newest sample, labelled with its app, slot and node", async () => {
    const now = Date.now();
    await db.statSample.createMany({
      data: [
        sample({ at: new Date(now - 20_000), resolution: SAMPLE_RESOLUTION_SEC, cpuPercent: 12 }),
        sample({ at: new Date(now - 10_000), resolution: SAMPLE_RESOLUTION_SEC, cpuPercent: 42 }),
      ],
    });

    const { text } = await collectMetrics(db);
    const labels = '{app="rolled",slot="0",node="stats-node"}';

    expect(text).toContain(`berth_replica_cpu_percent${labels} 42\n`);
    expect(text).toContain(`berth_replica_memory_bytes${labels} ${100 * MIB}\n`);
    expect(text).toContain(`berth_replica_memory_limit_bytes${labels} ${512 * MIB}\n`);
    expect(text).toContain(`berth_replica_network_receive_bytes_per_second${labels} 420\n`);
    expect(text).toMatch(/^berth_replicas\{state="running"\} 1$/m);
  });
});
