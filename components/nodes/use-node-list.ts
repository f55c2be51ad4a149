"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";

/**
 * The list refetches every 5 s although it is live. Heartbeats are written once a second per
 * node and deliberately not pushed, to keep the live stream for state changes (status, labels,
 * availability); this poll keeps "last heartbeat" fresh.
 */
const NODE_LIST_REFRESH_MS = 5_000;

/** The node list shared by the overview and /nodes: one cache entry, live through pushes. */
export function useNodeList() {
  const trpc = useTRPC();

  return useQuery(
    trpc.node.find.queryOptions(undefined, { refetchInterval: NODE_LIST_REFRESH_MS }),
  );
}
