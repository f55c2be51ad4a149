import Link from "next/link";

import type { TEventView } from "@/components/trpc/client";
import { RelativeTime } from "@/components/ui/relative-time";

import { SeverityBadge } from "./severity-badge";

type TEventListProps = {
  events: readonly TEventView[];
  /** Link events to their node's page (not needed on that page itself). */
  hasNodeLinks?: boolean;
};

function actorText(event: TEventView): string {
  if (event.actorType === "system") {
    return "by Berth";
  }

  return `by ${event.actorName ?? event.actorType}`;
}

/** A newest-first timeline: severity, message, kind and author, and a ticking time. */
export function EventList({ events, hasNodeLinks = true }: TEventListProps) {
  return (
    <ol className="divide-y divide-line" aria-label="Events">
      {events.map((event) => (
        <li
          key={event.id}
          data-testid="event-row"
          data-event-kind={event.kind}
          className="flex items-start gap-3 px-4 py-2.5"
        >
          <SeverityBadge severity={event.severity} />
          <div className="min-w-0 flex-1">
            <p className="text-sm break-words">{event.message}</p>
            <p className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-muted">
              <span className="font-mono">{event.kind}</span>
              <span>{actorText(event)}</span>
              {hasNodeLinks && event.nodeId ? (
                <Link href={`/nodes/${event.nodeId}`} className="text-accent hover:underline">
                  View node
                </Link>
              ) : null}
            </p>
          </div>
          <RelativeTime
            at={event.createdAt}
            className="shrink-0 pt-0.5 text-xs whitespace-nowrap text-muted tabular-nums"
          />
        </li>
      ))}
    </ol>
  );
}
