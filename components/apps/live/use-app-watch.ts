"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";

import { redirectToLogin } from "@/components/auth/login-redirect";
import { refetchSettled } from "@/components/live/live-cache";
import { liveStateOf } from "@/components/live/live-state";
import { useTRPC } from "@/components/trpc/client";
import { isUnauthorized } from "@/components/trpc/errors";

import { createCoalescer } from "./coalescer";

type TTrpc = ReturnType<typeof useTRPC>;

/** At most one refetch of an app's queries (and of the list) per this window. */
export const APP_REFETCH_WINDOW_MS = 300;
/** The coalescer's key for the list of apps, apart from every app id. */
const LIST_KEY = "";

/** Marks what shows one app as stale; mounted queries refetch, others on their next mount. */
export function invalidateApp(queryClient: QueryClient, trpc: TTrpc, appId: string) {
  const input = { id: appId };
  void queryClient.invalidateQueries({ queryKey: trpc.app.get.queryKey(input) });
  void queryClient.invalidateQueries({ queryKey: trpc.app.replicas.queryKey(input) });
  void queryClient.invalidateQueries({ queryKey: trpc.app.revisions.queryKey(input) });
}

function onStreamError(error: unknown) {
  if (isUnauthorized(error)) {
    redirectToLogin();
  }
}

/**
 * The apps stream, opened by the apps list and the app page while they show: each pushed
 * `{ appId }` refetches that app's queries and the list, bursts coalesced; each (re)connect
 * refetches every app query. Not opened for every page in the live provider: browsers allow
 * six connections to one host, and a third stream per tab leaves two tabs none for calls.
 * Returns false once the stream dropped (not while it first connects), for a stale hint.
 */
export function useAppWatch(): boolean {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [coalescer] = useState(() =>
    createCoalescer<string>(APP_REFETCH_WINDOW_MS, (key) => {
      if (key === LIST_KEY) {
        void queryClient.invalidateQueries({ queryKey: trpc.app.find.queryKey() });

        return;
      }
      invalidateApp(queryClient, trpc, key);
    }),
  );
  useEffect(() => () => coalescer.dispose(), [coalescer]);

  const stream = useSubscription(
    trpc.app.watch.subscriptionOptions(undefined, {
      onStarted: () => refetchSettled(queryClient, [trpc.app.pathKey()]),
      onData: ({ appId }) => {
        coalescer.push(appId);
        coalescer.push(LIST_KEY);
      },
      onError: onStreamError,
    }),
  );

  // tRPC reports an open stream as "pending": waiting for the next push.
  const isOpen = stream.status === "pending";
  const [hasConnected, setHasConnected] = useState(false);
  useEffect(() => {
    if (isOpen) {
      setHasConnected(true);
    }
  }, [isOpen]);
  const state = liveStateOf({
    statuses: [stream.status],
    isBrowserOnline: true,
    hasConnected,
    isOverdue: false,
  });

  return state === "connected" || state === "connecting";
}
