import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { type TChartPoint, isStale, liveTimesOf, mergeSeries, pushLive } from "./stat-series";

function point(atMs: number, cpuPercent = 1): TChartPoint {
  return {
    at: new Date(atMs),
    cpuPercent,
    memoryBytes: 1,
    memoryLimitBytes: 2,
    memoryPercent: 50,
    netRxBps: 0,
    netTxBps: 0,
    blockReadBps: 0,
    blockWriteBps: 0,
  };
}

describe("pushLive", () => {
  it("appends in order, replaces a point at the same time and keeps the newest max", () => {
    let live: TChartPoint[] = [];
    live = pushLive(live, point(1000));
    live = pushLive(live, point(3000));
    live = pushLive(live, point(2000));
    live = pushLive(live, point(3000, 9));

    expect(live.map((p) => [p.at.getTime(), p.cpuPercent])).toEqual([
      [1000, 1],
      [2000, 1],
      [3000, 9],
    ]);
    expect(pushLive(live, point(4000), 2).map((p) => p.at.getTime())).toEqual([3000, 4000]);
  });

  it("stays sorted, unique and capped whatever order points arrive in", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }), (times) => {
        let live: TChartPoint[] = [];
        for (const t of times) {
          live = pushLive(live, point(t * 1000), 50);
        }
        const ats = live.map((p) => p.at.getTime());

        expect(live.length).toBeLessThanOrEqual(50);
        expect([...ats].sort((a, b) => a - b)).toEqual(ats);
        expect(new Set(ats).size).toBe(ats.length);
      }),
    );
  });
});

describe("mergeSeries", () => {
  it("shows history, then only live points after it, inside the window", () => {
    const history = [point(0), point(10_000), point(20_000)];
    const live = [point(15_000), point(21_000), point(22_000)];

    expect(mergeSeries(history, live, 30_000, 25_000).map((p) => p.at.getTime())).toEqual([
      10_000, 20_000, 21_000, 22_000,
    ]);
  });

  it("is live only before history arrives, and never longer than max", () => {
    const live = Array.from({ length: 20 }, (_, i) => point(i * 1000));

    expect(mergeSeries([], live, 20_000, 60_000, 5).map((p) => p.at.getTime())).toEqual([
      15_000, 16_000, 17_000, 18_000, 19_000,
    ]);
  });
});

describe("isStale", () => {
  it("is stale without a point in the last five seconds", () => {
    expect(isStale([], 0)).toBe(true);
    expect(isStale([point(1000)], 5000)).toBe(false);
    expect(isStale([point(1000)], 7000)).toBe(true);
  });
});

describe("liveTimesOf", () => {
  it("gives the pushed points after the newest stored one, newest max of them", () => {
    const history = [point(10_000), point(20_000)];
    const live = [point(18_000), point(21_000), point(22_000), point(23_000)];
    const merged = mergeSeries(history, live, 30_000, 60_000);

    expect(liveTimesOf(merged, history, 10)).toEqual([21_000, 22_000, 23_000]);
    expect(liveTimesOf(merged, history, 2)).toEqual([22_000, 23_000]);
    expect(liveTimesOf(merged, [], 10)).toEqual(merged.map((p) => p.at.getTime()));
    expect(liveTimesOf(mergeSeries(history, [], 30_000, 60_000), history, 10)).toEqual([]);
  });
});
