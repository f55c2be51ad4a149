"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";

/**
 * App changes are pushed by the live provider's app stream; this slow poll only covers a
 * stream that is down without the page knowing.
 */
export const APP_FALLBACK_POLL_MS = 15_000;

/** Every app with its status and replica counts, kept live. */
export function useAppList() {
  const trpc = useTRPC();

  return useQuery(trpc.app.find.queryOptions(undefined, { refetchInterval: APP_FALLBACK_POLL_MS }));
}
