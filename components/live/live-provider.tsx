"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from "react";

import { redirectToLogin } from "@/components/auth/login-redirect";
import { EVENT_TIMELINE_KEY } from "@/components/events/timeline-key";
import { useTRPC } from "@/components/trpc/client";
import { isUnauthorized } from "@/components/trpc/errors";

import { applyLiveEvent, applyNodeChange, refetchSettled } from "./live-cache";
import { OFFLINE_AFTER_MS, type TLiveState, liveStateOf } from "./live-state";

type TLiveContext = { state: TLiveState; reconnect: () => void };

const LiveContext = createContext<TLiveContext>({ state: "connecting", reconnect: () => {} });

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);

  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

function useBrowserOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}

function onStreamError(error: unknown) {
  if (isUnauthorized(error)) {
    redirectToLogin();
  }
}

/**
 * The two live streams of the console, opened once for every page: node changes and new events.
 * Pushes are merged into the query cache; each (re)connect refetches what may have been missed.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  const nodes = useSubscription(
    trpc.node.watch.subscriptionOptions(undefined, {
      onStarted: () => refetchSettled(queryClient, [trpc.node.pathKey()]),
      onData: (change) => applyNodeChange(queryClient, trpc, change),
      onError: onStreamError,
    }),
  );
  const events = useSubscription(
    trpc.event.watch.subscriptionOptions(
      {},
      {
        onStarted: () =>
          refetchSettled(queryClient, [trpc.event.find.pathKey(), [EVENT_TIMELINE_KEY]]),
        onData: (event) => applyLiveEvent(queryClient, trpc, event),
        onError: onStreamError,
      },
    ),
  );

  const isBrowserOnline = useBrowserOnline();
  const isOpen = nodes.status === "pending" && events.status === "pending";
  const [hasConnected, setHasConnected] = useState(false);
  const [isOverdue, setIsOverdue] = useState(false);

  useEffect(() => {
    if (isOpen) {
      setHasConnected(true);
      setIsOverdue(false);

      return;
    }
    const timer = window.setTimeout(() => setIsOverdue(true), OFFLINE_AFTER_MS);

    return () => window.clearTimeout(timer);
  }, [isOpen]);

  const resetNodes = nodes.reset;
  const resetEvents = events.reset;
  const reconnect = useCallback(() => {
    setIsOverdue(false);
    resetNodes();
    resetEvents();
  }, [resetNodes, resetEvents]);

  const state = liveStateOf({
    statuses: [nodes.status, events.status],
    isBrowserOnline,
    hasConnected,
    isOverdue,
  });
  const value = useMemo(() => ({ state, reconnect }), [state, reconnect]);

  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** The live connection state and a way to force a reconnect. */
export function useLive(): TLiveContext {
  return useContext(LiveContext);
}
