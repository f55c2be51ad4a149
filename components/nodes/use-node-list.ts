"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";

/**
 * The server pushes node changes (status, labels, availability) but writes heartbeats without
 * a push, to keep the stream quiet. A light poll keeps "last heartbeat" honest between pushes.
 * TODO(ui): drop the poll if heartbeats are ever pushed in batches per interval.
 */
const NODE_LIST_REFRESH_MS = 5_000;

/** The node list shared by the overview and /nodes: one cache entry, live through pushes. */
export function useNodeList() {
  const trpc = useTRPC();

  return useQuery(
    trpc.node.find.queryOptions(undefined, { refetchInterval: NODE_LIST_REFRESH_MS }),
  );
}
