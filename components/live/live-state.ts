/** What the live indicator says, derived from the subscriptions' states. Pure and tested. */

export type TLiveState = "connecting" | "connected" | "reconnecting" | "offline";
export type TStreamStatus = "idle" | "connecting" | "pending" | "error";

/** After this long without a stream, "reconnecting" becomes "offline". */
export const OFFLINE_AFTER_MS = 15_000;

type TLiveInput = {
  statuses: readonly TStreamStatus[];
  isBrowserOnline: boolean;
  /** Whether every stream has been open at least once since the page loaded. */
  hasConnected: boolean;
  /** Whether the streams have been down for longer than OFFLINE_AFTER_MS. */
  isOverdue: boolean;
};

export function liveStateOf(input: TLiveInput): TLiveState {
  if (!input.isBrowserOnline || input.statuses.includes("error")) {
    return "offline";
  }
  // tRPC reports an open stream as "pending": waiting for the next push.
  if (input.statuses.every((status) => status === "pending")) {
    return "connected";
  }
  if (input.isOverdue) {
    return "offline";
  }

  return input.hasConnected ? "reconnecting" : "connecting";
}

export const LIVE_LABELS: Record<TLiveState, string> = {
  connecting: "Connecting…",
  connected: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};
