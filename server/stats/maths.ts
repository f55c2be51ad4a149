/**
 * The arithmetic of container stats, pure: a point from two engine readings (as `docker stats`
 * computes it), sums of points for an app or a node, and the 10 s → 60 s roll-up.
 */
import { z } from "zod";

import type { TStatPoint } from "./schema";

const ZCount = z.number().nonnegative().catch(0);

const ZCpuStats = z
  .object({
    cpu_usage: z.object({ total_usage: ZCount, percpu_usage: z.array(z.number()).nullish() }),
    system_cpu_usage: ZCount.optional().default(0),
    online_cpus: ZCount.optional().default(0),
  })
  .catch({ cpu_usage: { total_usage: 0 }, system_cpu_usage: 0, online_cpus: 0 });

const ZBlkioEntry = z.object({ op: z.string(), value: ZCount });

/**
 * The fields of the Engine API's stats object that Berth reads (GET /containers/{id}/stats).
 * Anything missing (a stopped container, a platform without a counter) reads as zero.
 */
export const ZEngineStats = z.object({
  read: z.string(),
  cpu_stats: ZCpuStats,
  precpu_stats: ZCpuStats,
  memory_stats: z
    .object({
      usage: ZCount.optional().default(0),
      limit: ZCount.optional().default(0),
      stats: z.record(z.string(), z.number()).optional().default({}),
    })
    .catch({ usage: 0, limit: 0, stats: {} }),
  networks: z
    .record(z.string(), z.object({ rx_bytes: ZCount, tx_bytes: ZCount }))
    .nullish()
    .catch(undefined),
  blkio_stats: z
    .object({ io_service_bytes_recursive: z.array(ZBlkioEntry).nullish() })
    .nullish()
    .catch(undefined),
});

export type TEngineStats = z.infer<typeof ZEngineStats>;
type TCpuStats = TEngineStats["cpu_stats"];

/** The cumulative counters of one reading, the memory at that moment, and when it was read. */
export type TReading = {
  atMs: number;
  cpu: TCpuStats;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytes: number;
  netTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
};

/**
 * CPU in percent of one core between two readings, Docker's formula:
 * (container CPU time delta ÷ host CPU time delta) × online CPUs × 100. The host time counts
 * every CPU, so the ratio is a share of the whole host; × CPUs makes it "cores busy". A
 * counter that went backwards (a restarted container) or a first reading gives 0.
 */
export function cpuPercentOf(cpu: TCpuStats, precpu: TCpuStats): number {
  const cpuDelta = cpu.cpu_usage.total_usage - precpu.cpu_usage.total_usage;
  const systemDelta = cpu.system_cpu_usage - precpu.system_cpu_usage;
  const onlineCpus = cpu.online_cpus || cpu.cpu_usage.percpu_usage?.length || 1;
  if (cpuDelta <= 0 || systemDelta <= 0 || precpu.system_cpu_usage === 0) {
    return 0;
  }

  return (cpuDelta / systemDelta) * onlineCpus * 100;
}

/**
 * Memory in use as `docker stats` shows it: usage less the page cache the kernel can drop
 * at once (inactive file pages: `total_inactive_file` on cgroup v1, `inactive_file` on v2;
 * `cache` on engines that report neither). Never below zero.
 */
export function memoryUsageOf(memory: TEngineStats["memory_stats"]): number {
  const { usage, stats } = memory;
  const reclaimable = stats.total_inactive_file ?? stats.inactive_file ?? stats.cache ?? 0;

  return reclaimable < usage ? usage - reclaimable : usage;
}

function blockBytes(stats: TEngineStats, op: "read" | "write"): number {
  const entries = stats.blkio_stats?.io_service_bytes_recursive ?? [];

  return entries
    .filter((entry) => entry.op.toLowerCase() === op)
    .reduce((sum, entry) => sum + entry.value, 0);
}

/** The counters of one engine reading. */
export function readingOf(stats: TEngineStats): TReading {
  const networks = Object.values(stats.networks ?? {});

  return {
    atMs: Date.parse(stats.read) || 0,
    cpu: stats.cpu_stats,
    memoryBytes: memoryUsageOf(stats.memory_stats),
    memoryLimitBytes: stats.memory_stats.limit,
    netRxBytes: networks.reduce((sum, n) => sum + n.rx_bytes, 0),
    netTxBytes: networks.reduce((sum, n) => sum + n.tx_bytes, 0),
    blockReadBytes: blockBytes(stats, "read"),
    blockWriteBytes: blockBytes(stats, "write"),
  };
}

/**
 * Bytes per second of a cumulative counter. A counter below its previous value was reset (the
 * container restarted, an interface was recreated): what it counts now was all counted since,
 * so that is the delta. No time between readings gives 0.
 */
export function rateOf(now: number, before: number, seconds: number): number {
  if (!(seconds > 0)) {
    return 0;
  }
  const delta = now >= before ? now - before : now;

  return delta / seconds;
}

/** A memory share in percent; 0 when there is no limit to count against. */
export function percentOf(bytes: number, limitBytes: number): number {
  return limitBytes > 0 ? (bytes / limitBytes) * 100 : 0;
}

/**
 * The point between two readings of one container. CPU counts from the engine's own
 * `precpu_stats` when it gave them (a stream does), else from the previous reading; without a
 * previous reading the rates are 0.
 */
export function pointOf(now: TReading, before: TReading | undefined, precpu?: TCpuStats) {
  const seconds = before ? (now.atMs - before.atMs) / 1000 : 0;
  const basis = precpu && precpu.system_cpu_usage > 0 ? precpu : before?.cpu;
  const rate = (key: keyof Omit<TReading, "atMs" | "cpu">) =>
    before ? rateOf(now[key], before[key], seconds) : 0;

  return {
    at: new Date(now.atMs),
    cpuPercent: basis ? cpuPercentOf(now.cpu, basis) : 0,
    memoryBytes: now.memoryBytes,
    memoryLimitBytes: now.memoryLimitBytes,
    memoryPercent: percentOf(now.memoryBytes, now.memoryLimitBytes),
    netRxBps: rate("netRxBytes"),
    netTxBps: rate("netTxBytes"),
    blockReadBps: rate("blockReadBytes"),
    blockWriteBps: rate("blockWriteBytes"),
  } satisfies TStatPoint;
}

/** The quantities a point sums; `at`, the limit and the share are decided by the caller. */
const SUMMED = [
  "cpuPercent",
  "memoryBytes",
  "netRxBps",
  "netTxBps",
  "blockReadBps",
  "blockWriteBps",
] as const;

/**
 * Several containers' points as one: use is summed. The limit is `limitBytes` when given (a
 * node's memory), else the sum of the containers' limits (an app's).
 */
export function sumPoints(at: Date, points: readonly TStatPoint[], limitBytes?: number) {
  const sum: TStatPoint = {
    at,
    cpuPercent: 0,
    memoryBytes: 0,
    memoryLimitBytes: 0,
    memoryPercent: 0,
    netRxBps: 0,
    netTxBps: 0,
    blockReadBps: 0,
    blockWriteBps: 0,
  };
  for (const point of points) {
    for (const key of SUMMED) {
      sum[key] += point[key];
    }
    sum.memoryLimitBytes += point.memoryLimitBytes;
  }
  if (limitBytes !== undefined) {
    sum.memoryLimitBytes = limitBytes;
  }
  sum.memoryPercent = percentOf(sum.memoryBytes, sum.memoryLimitBytes);

  return sum;
}

/** The start of the `seconds`-long bucket `at` falls in (buckets start at the Unix epoch). */
export function bucketOf(at: Date, seconds: number): Date {
  const ms = seconds * 1000;

  return new Date(Math.floor(at.getTime() / ms) * ms);
}

/** A point of one container, keyed so that a roll-up keeps containers apart. */
export type TKeyedPoint = TStatPoint & { key: string };

/**
 * Rolls points up into `seconds`-long buckets, per key (a container): the mean of each
 * quantity over the points in the bucket, the largest limit. Output is sorted by key, then
 * time; a bucket exists only where a point does.
 */
export function downsample(points: readonly TKeyedPoint[], seconds: number): TKeyedPoint[] {
  const groups = new Map<string, TKeyedPoint[]>();
  for (const point of points) {
    const bucket = bucketOf(point.at, seconds);
    const id = `${point.key}\u0000${bucket.getTime()}`;
    const group = groups.get(id);
    if (group) {
      group.push(point);
    } else {
      groups.set(id, [point]);
    }
  }
  const rolled = [...groups.values()].map((group) => {
    const first = group[0] as TKeyedPoint;
    const sum = sumPoints(bucketOf(first.at, seconds), group);
    const mean = (value: number) => value / group.length;
    const memoryLimitBytes = Math.max(...group.map((p) => p.memoryLimitBytes));
    const memoryBytes = mean(sum.memoryBytes);

    return {
      key: first.key,
      at: sum.at,
      cpuPercent: mean(sum.cpuPercent),
      memoryBytes,
      memoryLimitBytes,
      memoryPercent: percentOf(memoryBytes, memoryLimitBytes),
      netRxBps: mean(sum.netRxBps),
      netTxBps: mean(sum.netTxBps),
      blockReadBps: mean(sum.blockReadBps),
      blockWriteBps: mean(sum.blockWriteBps),
    };
  });

  return rolled.sort((a, b) =>
    a.key === b.key ? a.at.getTime() - b.at.getTime() : a.key < b.key ? -1 : 1,
  );
}
