"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";

/** Apps have no push stream yet, so their list and pages poll; replicas change in seconds. */
export const APP_REFRESH_MS = 3_000;

/** Every app with its replica counts, polled. */
export function useAppList() {
  const trpc = useTRPC();

  return useQuery(trpc.app.find.queryOptions(undefined, { refetchInterval: APP_REFRESH_MS }));
}
