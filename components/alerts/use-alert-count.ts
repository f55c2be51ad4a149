"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";

import { ALERT_COUNT_POLL_MS } from "./alert-model";

/** Firing alerts nobody acknowledged yet, polled; one query shared by every badge. */
export function useAlertCount(): number {
  const trpc = useTRPC();
  const count = useQuery(
    trpc.alert.count.queryOptions(undefined, { refetchInterval: ALERT_COUNT_POLL_MS }),
  );

  return count.data?.firingUnacknowledged ?? 0;
}
