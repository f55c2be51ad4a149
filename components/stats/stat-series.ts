/**
 * The points a chart shows: stored history first, then live points pushed after it. Pure, so
 * the merge is tested apart from React.
 */
export type TChartPoint = {
  at: Date;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  memoryPercent: number;
  netRxBps: number;
  netTxBps: number;
  blockReadBps: number;
  blockWriteBps: number;
};

export const CHART_RANGES = ["15m", "1h", "24h", "7d", "live"] as const;
export type TChartRange = (typeof CHART_RANGES)[number];

export const RANGE_LABELS: Record<TChartRange, string> = {
  "15m": "15 min",
  "1h": "1 h",
  "24h": "24 h",
  "7d": "7 days",
  live: "Live",
};

/** How far back each range shows; Live shows the last 15 minutes with 1 s points on the end. */
export const RANGE_WINDOW_MS: Record<TChartRange, number> = {
  "15m": 15 * 60 * 1000,
  "1h": 3600 * 1000,
  "24h": 24 * 3600 * 1000,
  "7d": 7 * 24 * 3600 * 1000,
  live: 15 * 60 * 1000,
};

/** Points a chart keeps at most: the 7-day range's 10,080 minutes plus live points. */
export const MAX_CHART_POINTS = 12_000;

/** Live points kept apart from the history; two hours of 1 s points at most. */
export const MAX_LIVE_POINTS = 7200;

/** Adds a pushed point: kept in time order, a point at a time already held replaces it. */
export function pushLive(
  live: readonly TChartPoint[],
  point: TChartPoint,
  max = MAX_LIVE_POINTS,
): TChartPoint[] {
  const at = point.at.getTime();
  const last = live.at(-1);
  let next: TChartPoint[];
  if (!last || last.at.getTime() < at) {
    next = [...live, point];
  } else {
    next = [...live.filter((p) => p.at.getTime() !== at), point];
    next.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  return next.length > max ? next.slice(next.length - max) : next;
}

/**
 * The series to draw: history inside the window, then the live points newer than the
 * newest history point (so the two join without overlap), capped to the newest `max`.
 */
export function mergeSeries(
  history: readonly TChartPoint[],
  live: readonly TChartPoint[],
  nowMs: number,
  windowMs: number,
  max = MAX_CHART_POINTS,
): TChartPoint[] {
  const from = nowMs - windowMs;
  const stored = history.filter((p) => p.at.getTime() >= from);
  const lastStored = stored.at(-1)?.at.getTime() ?? Number.NEGATIVE_INFINITY;
  const pushed = live.filter((p) => p.at.getTime() > lastStored && p.at.getTime() >= from);
  const all = [...stored, ...pushed];

  return all.length > max ? all.slice(all.length - max) : all;
}

/**
 * The times of the drawn points that came live, newest `max` of them: those after the newest
 * stored point (mergeSeries keeps only those). Stored points that a refetch adds are not
 * among them, so a watcher can tell each pushed point from the history under it.
 */
export function liveTimesOf(
  merged: readonly TChartPoint[],
  history: readonly TChartPoint[],
  max: number,
): number[] {
  const lastStored = history.at(-1)?.at.getTime() ?? Number.NEGATIVE_INFINITY;
  const times: number[] = [];
  for (let i = merged.length - 1; i >= 0 && times.length < max; i -= 1) {
    const at = (merged[i] as TChartPoint).at.getTime();
    if (at <= lastStored) {
      break;
    }
    times.push(at);
  }

  return times.reverse();
}

/** Live is stale when no point came for this long (the engine sends one a second). */
export const STALE_AFTER_MS = 5000;

export function isStale(live: readonly TChartPoint[], nowMs: number): boolean {
  const last = live.at(-1);

  return !last || nowMs - last.at.getTime() > STALE_AFTER_MS;
}
