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

import { createAppRefetcher } from "@/components/apps/live/app-refetcher";

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
 * The console's one live stream, opened once for every page: node changes and new events are
 * merged into the query cache, changed apps have their queries refetched (bursts coalesced);
 * each (re)connect refetches what may have been missed.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();

  const [apps] = useState(() => createAppRefetcher(queryClient, trpc));
  useEffect(() => () => apps.dispose(), [apps]);
  const stream = useSubscription(
    trpc.live.watch.subscriptionOptions(
      {},
      {
        onStarted: () =>
          refetchSettled(queryClient, [
            trpc.node.pathKey(),
            trpc.event.find.pathKey(),
            [EVENT_TIMELINE_KEY],
            trpc.app.pathKey(),
          ]),
        onData: (message) => {
          if (message.kind === "node") {
            applyNodeChange(queryClient, trpc, message.change);
          } else if (message.kind === "event") {
            applyLiveEvent(queryClient, trpc, message.event);
          } else {
            apps.push(message.appId);
          }
        },
        onError: onStreamError,
      },
    ),
  );

  const isBrowserOnline = useBrowserOnline();
  const isOpen = stream.status === "pending";
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

  const resetStream = stream.reset;
  const reconnect = useCallback(() => {
    setIsOverdue(false);
    resetStream();
  }, [resetStream]);

  const state = liveStateOf({
    statuses: [stream.status],
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
