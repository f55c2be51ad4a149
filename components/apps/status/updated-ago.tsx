"use client";

import { StaleHint } from "@/components/live/connection-indicator";
import { RelativeTime } from "@/components/ui/relative-time";

import { APP_FALLBACK_POLL_MS } from "../use-app-list";

type TUpdatedAgoProps = {
  /** The query's `dataUpdatedAt`, in ms; 0 before its first answer. */
  at: number;
  /** Whether the apps stream is open; while it is not, pushes are missed. */
  isLive: boolean;
};

/**
 * "updated 4 s ago" from a query's last answer, and a stale hint while a stream is down: live
 * views say how old what they show is.
 */
export function UpdatedAgo({ at, isLive }: TUpdatedAgoProps) {
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 text-xs text-muted">
      <span data-testid="updated-ago">
        updated <RelativeTime at={at > 0 ? new Date(at) : null} fallback="never" />
      </span>
      {isLive ? null : (
        <span className="font-medium text-warn" data-testid="apps-stream-down">
          app updates paused: refreshing every {APP_FALLBACK_POLL_MS / 1000} s
        </span>
      )}
      <StaleHint />
    </span>
  );
}
