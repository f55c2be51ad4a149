import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { summedBacklog } from "./live";
import { pushToRing } from "./live-hub";
import {
  type TKeyedPoint,
  ZEngineStats,
  cpuPercentOf,
  downsample,
  memoryUsageOf,
  pointOf,
  rateOf,
  readingOf,
  sumPoints,
} from "./maths";
import type { TStatPoint } from "./schema";

const GIB = 1024 ** 3;

function cpu(total: number, system: number, online = 2) {
  return { cpu_usage: { total_usage: total }, system_cpu_usage: system, online_cpus: online };
}

function engineStats(over: Record<string, unknown> = {}) {
  return ZEngineStats.parse({
    read: "2026-01-01T00:00:10.000Z",
    cpu_stats: cpu(2e9, 20e9),
    precpu_stats: cpu(1e9, 18e9),
    memory_stats: { usage: 100e6, limit: GIB, stats: { total_inactive_file: 20e6 } },
    networks: { eth0: { rx_bytes: 1000, tx_bytes: 500 }, eth1: { rx_bytes: 24, tx_bytes: 0 } },
    blkio_stats: {
      io_service_bytes_recursive: [
        { major: 8, minor: 0, op: "Read", value: 4096 },
        { major: 8, minor: 0, op: "Write", value: 8192 },
        { major: 8, minor: 0, op: "Total", value: 12288 },
      ],
    },
    ...over,
  });
}

function point(at: number, over: Partial<TStatPoint> = {}): TStatPoint {
  return {
    at: new Date(at),
    cpuPercent: 10,
    memoryBytes: 100,
    memoryLimitBytes: 1000,
    memoryPercent: 10,
    netRxBps: 1,
    netTxBps: 2,
    blockReadBps: 3,
    blockWriteBps: 4,
    ...over,
  };
}

describe("cpu percent", () => {
  it("follows docker's formula: delta over system delta times online cpus", () => {
    // 1 s of CPU over 2 s of host time on 2 CPUs: one core busy.
    expect(cpuPercentOf(cpu(2e9, 20e9), cpu(1e9, 18e9))).toBeCloseTo(100);
  });

  it("falls back to the per-cpu list when online_cpus is missing", () => {
    const now = { cpu_usage: { total_usage: 2e9, percpu_usage: [1, 1, 1, 1] }, ...{} };
    const stats = { ...now, system_cpu_usage: 20e9, online_cpus: 0 };

    expect(cpuPercentOf(stats, cpu(1e9, 18e9))).toBeCloseTo(200);
  });

  it("is 0 for a first reading or a counter that went back", () => {
    expect(cpuPercentOf(cpu(2e9, 20e9), cpu(0, 0))).toBe(0);
    expect(cpuPercentOf(cpu(1e9, 20e9), cpu(2e9, 18e9))).toBe(0);
  });

  it("stays within 0 and online cpus × 100 when the container uses at most the host", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (cpus, systemDelta, share) => {
          const cpuDelta = (systemDelta * share) / 1;
          const value = cpuPercentOf(cpu(1e6 + cpuDelta, 2e9 + systemDelta, cpus), cpu(1e6, 2e9));

          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(cpus * 100 + 1e-6);
        },
      ),
    );
  });
});

describe("memory", () => {
  it("takes inactive file pages off the usage, on cgroup v1 and v2", () => {
    const base = { usage: 100, limit: 1000 };

    expect(memoryUsageOf({ ...base, stats: { total_inactive_file: 30, cache: 50 } })).toBe(70);
    expect(memoryUsageOf({ ...base, stats: { inactive_file: 40 } })).toBe(60);
    expect(memoryUsageOf({ ...base, stats: { cache: 50 } })).toBe(50);
    expect(memoryUsageOf({ ...base, stats: {} })).toBe(100);
  });

  it("is never negative", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (usage, inactive) => {
        const value = memoryUsageOf({ usage, limit: 0, stats: { inactive_file: inactive } });

        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(usage);
      }),
    );
  });
});

describe("rates", () => {
  it("divides the counter's growth by the seconds between readings", () => {
    expect(rateOf(3000, 1000, 2)).toBe(1000);
  });

  it("counts a reset counter's value as the growth, and no time as no rate", () => {
    expect(rateOf(500, 10_000, 10)).toBe(50);
    expect(rateOf(500, 100, 0)).toBe(0);
  });

  it("is never negative", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1e4 }), (now, before, s) => {
        expect(rateOf(now, before, s)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe("points from readings", () => {
  it("reads memory, networks and block io from the engine's json", () => {
    const reading = readingOf(engineStats());

    expect(reading.memoryBytes).toBe(80e6);
    expect(reading.netRxBytes).toBe(1024);
    expect(reading.blockReadBytes).toBe(4096);
    expect(reading.blockWriteBytes).toBe(8192);
  });

  it("accepts a stopped container's empty stats as zeros", () => {
    const stats = ZEngineStats.parse({
      read: "0001-01-01T00:00:00Z",
      cpu_stats: { cpu_usage: { total_usage: 0 }, throttling_data: {} },
      precpu_stats: { cpu_usage: { total_usage: 0 }, throttling_data: {} },
      memory_stats: {},
      blkio_stats: { io_service_bytes_recursive: null },
    });

    expect(readingOf(stats).memoryBytes).toBe(0);
    expect(pointOf(readingOf(stats), undefined).cpuPercent).toBe(0);
  });

  it("uses the engine's precpu when given, else the previous reading", () => {
    const stats = engineStats();
    const before = readingOf(
      engineStats({
        read: "2026-01-01T00:00:00.000Z",
        cpu_stats: cpu(0, 0),
        networks: { eth0: { rx_bytes: 0, tx_bytes: 0 } },
      }),
    );
    const fromPrecpu = pointOf(readingOf(stats), undefined, stats.precpu_stats);
    const fromBefore = pointOf(readingOf(stats), { ...before, cpu: cpu(1.5e9, 19e9) });

    expect(fromPrecpu.cpuPercent).toBeCloseTo(100);
    expect(fromPrecpu.netRxBps).toBe(0);
    expect(fromBefore.cpuPercent).toBeCloseTo(100);
    expect(fromBefore.netRxBps).toBeCloseTo(102.4);
    expect(fromBefore.memoryPercent).toBeCloseTo((80e6 / GIB) * 100);
  });
});

describe("sums", () => {
  it("adds use and limits for an app, and counts against a node's memory when given", () => {
    const at = new Date(0);
    const app = sumPoints(at, [point(0), point(0, { memoryBytes: 300 })]);
    const node = sumPoints(at, [point(0), point(0)], 4000);

    expect(app.cpuPercent).toBe(20);
    expect(app.memoryLimitBytes).toBe(2000);
    expect(app.memoryPercent).toBe(20);
    expect(node.memoryLimitBytes).toBe(4000);
    expect(node.memoryPercent).toBe(5);
  });

  it("sums recent points per second only where every container has one", () => {
    const a = [point(1000), point(2000), point(3000)];
    const b = [point(2200), point(3100)];
    const sums = summedBacklog([a, b]);

    expect(sums.map((p) => p.at.getTime())).toEqual([2000, 3000]);
    expect(sums.every((p) => p.cpuPercent === 20)).toBe(true);
  });
});

describe("downsampling", () => {
  it("averages 10 s points into minutes, per container", () => {
    const points: TKeyedPoint[] = [0, 10, 20, 30, 40, 50, 60].flatMap((s) => [
      { ...point(s * 1000, { cpuPercent: s }), key: "a" },
      { ...point(s * 1000, { cpuPercent: 1 }), key: "b" },
    ]);
    const rolled = downsample(points, 60);

    expect(rolled.map((p) => [p.key, p.at.getTime(), p.cpuPercent])).toEqual([
      ["a", 0, 25],
      ["a", 60_000, 60],
      ["b", 0, 1],
      ["b", 60_000, 1],
    ]);
  });

  it("keeps each container's mean, and never makes more points than it was given", () => {
    const arbitraryPoint = fc.record({
      key: fc.constantFrom("a", "b", "c"),
      second: fc.integer({ min: 0, max: 3600 }),
      cpu: fc.double({ min: 0, max: 400, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryPoint, { maxLength: 200 }), (raw) => {
        const points = raw.map((p) => ({
          ...point(p.second * 1000, { cpuPercent: p.cpu }),
          key: p.key,
        }));
        const rolled = downsample(points, 60);

        expect(rolled.length).toBeLessThanOrEqual(points.length);
        for (const p of rolled) {
          expect(p.at.getTime() % 60_000).toBe(0);
          const inBucket = points.filter(
            (q) => q.key === p.key && q.at.getTime() - p.at.getTime() < 60_000,
          );
          const cpus = inBucket
            .filter((q) => q.at.getTime() >= p.at.getTime())
            .map((q) => q.cpuPercent);

          expect(p.cpuPercent).toBeGreaterThanOrEqual(Math.min(...cpus) - 1e-9);
          expect(p.cpuPercent).toBeLessThanOrEqual(Math.max(...cpus) + 1e-9);
        }
      }),
    );
  });
});

describe("live ring", () => {
  it("keeps two minutes at most", () => {
    const ring: TStatPoint[] = [];
    for (let s = 0; s < 600; s += 1) {
      pushToRing(ring, point(s * 1000));
    }

    expect(ring.length).toBeLessThanOrEqual(121);
    expect(ring.at(-1)?.at.getTime()).toBe(599_000);
    expect(ring[0]?.at.getTime()).toBe(479_000);
  });
});
