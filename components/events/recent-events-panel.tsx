"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { StaleHint } from "@/components/live/connection-indicator";
import { useTRPC } from "@/components/trpc/client";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import { QueryList } from "@/components/ui/query-list";

import { EventList } from "./event-list";

type TRecentEventsPanelProps = {
  title?: string;
  limit: number;
  nodeId?: string;
  appId?: string;
};

/**
 * The latest events, kept live: the console's event stream prepends new ones to this query's
 * cache (see live-cache.ts), and the list shows the newest `limit` of them.
 */
export function RecentEventsPanel({
  title = "Recent events",
  limit,
  nodeId,
  appId,
}: TRecentEventsPanelProps) {
  const trpc = useTRPC();
  const input = { ...(nodeId ? { nodeId } : {}), ...(appId ? { appId } : {}), limit };
  const events = useQuery(trpc.event.find.queryOptions(input));

  return (
    <Panel
      title={title}
      isFlush
      actions={
        <>
          <StaleHint />
          <Link href="/events" className="text-xs font-medium text-accent hover:underline">
            All events
          </Link>
        </>
      }
    >
      <QueryList
        query={events}
        loadingLabel="Loading events"
        skeletonRows={3}
        empty={
          <EmptyState title="No events yet">
            Changes to nodes, users and tokens show here as they happen.
          </EmptyState>
        }
      >
        {(items) => <EventList events={items.slice(0, limit)} hasNodeLinks={!nodeId} />}
      </QueryList>
    </Panel>
  );
}
