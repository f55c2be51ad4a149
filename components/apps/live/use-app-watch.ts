"use client";

import { useLive } from "@/components/live/live-provider";

/**
 * Whether app views are kept live: app changes come on the console's one live stream (see
 * LiveProvider). False once the stream dropped (not while it first connects), for a stale hint.
 */
export function useAppWatch(): boolean {
  const { state } = useLive();

  return state === "connected" || state === "connecting";
}
