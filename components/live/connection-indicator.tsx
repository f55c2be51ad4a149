"use client";

import { cx } from "@/components/ui/cx";

import { useLive } from "./live-provider";
import { LIVE_LABELS, type TLiveState } from "./live-state";

const DOT_CLASSES: Record<TLiveState, string> = {
  connecting: "bg-faint animate-pulse",
  connected: "bg-ok",
  reconnecting: "bg-warn animate-pulse",
  offline: "bg-danger",
};

/**
 * The header's live-connection light. When offline it becomes a button that reconnects at once
 * instead of waiting for the next automatic try.
 */
export function ConnectionIndicator() {
  const { state, reconnect } = useLive();
  const label = LIVE_LABELS[state];
  const body = (
    <>
      <span aria-hidden="true" className={cx("size-2 shrink-0 rounded-full", DOT_CLASSES[state])} />
      <span className="max-sm:sr-only">{label}</span>
    </>
  );
  const className = cx(
    "inline-flex h-7 items-center gap-1.5 rounded-full border border-line px-2 text-xs sm:px-2.5",
    state === "connected" ? "text-muted" : "text-fg",
  );

  return (
    <div role="status" aria-live="polite" data-testid="live-status" data-state={state}>
      {state === "offline" ? (
        <button
          type="button"
          onClick={reconnect}
          className={cx(className, "hover:bg-sunken")}
          title="Live updates stopped. Click to reconnect."
        >
          {body}
        </button>
      ) : (
        <span className={className} title="Live updates from the server">
          {body}
        </span>
      )}
    </div>
  );
}

/** A hint on live panels that what they show may be out of date while the stream is down. */
export function StaleHint() {
  const { state } = useLive();
  if (state === "connected" || state === "connecting") {
    return null;
  }

  return (
    <span className="text-xs font-medium text-warn">
      {state === "offline" ? "Offline: may be out of date" : "Reconnecting: may be stale"}
    </span>
  );
}
