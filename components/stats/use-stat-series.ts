"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useMemo, useState } from "react";

import { useTRPC } from "@/components/trpc/client";

import {
  RANGE_WINDOW_MS,
  type TChartPoint,
  type TChartRange,
  isStale,
  mergeSeries,
  pushLive,
} from "./stat-series";

export type TStatScope = "replica" | "app" | "node";

/** Stored points are refetched this often, so the history catches up under the live tail. */
const HISTORY_REFRESH_MS: Record<TChartRange, number> = {
  "15m": 10_000,
  "1h": 10_000,
  "24h": 60_000,
  "7d": 60_000,
  live: 10_000,
};
/** The chart re-checks staleness and its window this often. */
const CLOCK_TICK_MS = 1000;

function useClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);

    return () => window.clearInterval(timer);
  }, []);

  return now;
}

/**
 * A target's chart points: the stored history of the range, then the live points the
 * subscription pushes, merged by `mergeSeries`. `isStale` says the live tail has stopped.
 */
export function useStatSeries(scope: TStatScope, id: string, range: TChartRange) {
  const trpc = useTRPC();
  const target = { scope, id };
  const history = useQuery(
    trpc.stats.history.queryOptions(
      { target, range: range === "live" ? "15m" : range },
      { refetchInterval: HISTORY_REFRESH_MS[range], placeholderData: keepPreviousData },
    ),
  );
  const [live, setLive] = useState<TChartPoint[]>([]);
  const stream = useSubscription(
    trpc.stats.live.subscriptionOptions(target, {
      onData: (point) => setLive((points) => pushLive(points, point)),
    }),
  );
  const now = useClock();
  const points = useMemo(
    () => mergeSeries(history.data?.points ?? [], live, now, RANGE_WINDOW_MS[range]),
    [history.data, live, now, range],
  );

  return {
    points,
    history,
    isStale: isStale(live, now),
    streamStatus: stream.status,
    reconnect: stream.reset,
  };
}

/** How often list columns ask for the newest stats (the collector writes every 10 s). */
export const CURRENT_STATS_POLL_MS = 5000;

/** The newest point of each id, for list columns; ids without a recent sample are missing. */
export function useCurrentStats(scope: TStatScope, ids: readonly string[]) {
  const trpc = useTRPC();
  const sorted = useMemo(() => [...ids].sort(), [ids]);
  const current = useQuery(
    trpc.stats.current.queryOptions(
      { scope, ids: sorted },
      {
        enabled: sorted.length > 0,
        refetchInterval: CURRENT_STATS_POLL_MS,
        placeholderData: keepPreviousData,
      },
    ),
  );

  return current.data ?? {};
}
