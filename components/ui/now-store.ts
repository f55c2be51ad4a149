"use client";

import { useSyncExternalStore } from "react";

/** How often "2 s ago" labels advance; one shared timer drives all of them. */
export const HEARTBEAT_TICK_MS = 1_000;

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) {
        notify();
      }
    }, HEARTBEAT_TICK_MS);
  }

  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function snapshot(): number {
  return now;
}

function serverSnapshot(): number {
  return 0;
}

/** The current time in ms, advancing every HEARTBEAT_TICK_MS while anything shows it. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, serverSnapshot);
}
