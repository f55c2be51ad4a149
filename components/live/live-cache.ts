/**
 * Writes pushed changes into the TanStack Query cache, so every view that shows nodes or events
 * updates from one subscription each. The merging itself is done by pure, tested reducers.
 */
import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";

import {
  eventMatchesFilter,
  prependEvent,
  type TEventListFilter,
} from "@/components/events/event-buffer";
import { EVENT_TIMELINE_KEY } from "@/components/events/timeline-key";
import { type TNodeChangeOf, mergeNodeChange } from "@/components/nodes/merge-node-change";
import type { TEventView, TNodeDetail, TNodeView, useTRPC } from "@/components/trpc/client";

type TTrpc = ReturnType<typeof useTRPC>;

export type TNodeChange = TNodeChangeOf<TNodeView>;

const FILTER_FIELDS = ["nodeId", "appId", "kindPrefix", "severity", "beforeId"] as const;

function stringField(value: object, field: string): string | undefined {
  const found: unknown = Reflect.get(value, field);

  return typeof found === "string" ? found : undefined;
}

/**
 * The filter a cached `event.find` query (`[path, { input }]`) or timeline query
 * (`[root, filter]`) was made with, read from its key.
 */
function filterOfKey(queryKey: QueryKey): TEventListFilter {
  const part: unknown = queryKey[1];
  if (typeof part !== "object" || part === null) {
    return {};
  }
  const input: unknown = "input" in part ? part.input : part;
  if (typeof input !== "object" || input === null) {
    return {};
  }
  const filter: TEventListFilter = {};
  for (const field of FILTER_FIELDS) {
    const value = stringField(input, field);
    if (value !== undefined) {
      filter[field] = value;
    }
  }

  return filter;
}

export function applyNodeChange(queryClient: QueryClient, trpc: TTrpc, change: TNodeChange) {
  const listKey = trpc.node.find.queryKey();
  const previous = queryClient.getQueryData(listKey);
  queryClient.setQueryData(listKey, (list) => mergeNodeChange(list, change));
  if (change.type === "remove") {
    // The detail page refetches, gets NOT_FOUND and says the node was removed.
    void queryClient.invalidateQueries({ queryKey: trpc.node.get.queryKey({ id: change.id }) });

    return;
  }
  const detailKey = trpc.node.get.queryKey({ id: change.node.id });
  const before = previous?.find((node) => node.id === change.node.id);
  queryClient.setQueryData(detailKey, (detail: TNodeDetail | undefined) =>
    detail ? { ...detail, node: change.node } : detail,
  );
  if (before && before.health !== change.node.health) {
    // Reachability changed: the container list (or its error) is out of date too.
    void queryClient.invalidateQueries({ queryKey: detailKey });
  }
}

export function applyLiveEvent(queryClient: QueryClient, trpc: TTrpc, event: TEventView) {
  const cache = queryClient.getQueryCache();
  for (const query of cache.findAll({ queryKey: trpc.event.find.pathKey() })) {
    if (eventMatchesFilter(event, filterOfKey(query.queryKey))) {
      queryClient.setQueryData<TEventView[]>(query.queryKey, (list) => prependEvent(list, event));
    }
  }
  for (const query of cache.findAll({ queryKey: [EVENT_TIMELINE_KEY] })) {
    if (!eventMatchesFilter(event, filterOfKey(query.queryKey))) {
      continue;
    }
    queryClient.setQueryData<InfiniteData<TEventView[], string | undefined>>(
      query.queryKey,
      (data) => {
        const [head, ...older] = data?.pages ?? [];
        if (!data || !head) {
          return data;
        }

        return { ...data, pages: [prependEvent(head, event) ?? head, ...older] };
      },
    );
  }
}

/**
 * Called when the stream (re)opens, before any push on it: everything loaded earlier may have
 * missed changes, so it is refetched. Queries still loading are left to finish.
 */
export function refetchSettled(queryClient: QueryClient, keys: QueryKey[]) {
  for (const queryKey of keys) {
    void queryClient.invalidateQueries({
      queryKey,
      predicate: (query) => query.state.status === "success" && query.state.fetchStatus === "idle",
    });
  }
}
