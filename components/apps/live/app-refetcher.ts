import type { QueryClient } from "@tanstack/react-query";

import type { useTRPC } from "@/components/trpc/client";

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

/**
 * Turns pushed app ids into refetches: each changed app's queries and the list, a burst of
 * pushes (a rolling update makes many) coalesced into one refetch per window.
 */
export function createAppRefetcher(queryClient: QueryClient, trpc: TTrpc) {
  const coalescer = createCoalescer<string>(APP_REFETCH_WINDOW_MS, (key) => {
    if (key === LIST_KEY) {
      void queryClient.invalidateQueries({ queryKey: trpc.app.find.queryKey() });

      return;
    }
    invalidateApp(queryClient, trpc, key);
  });

  return {
    push(appId: string): void {
      coalescer.push(appId);
      coalescer.push(LIST_KEY);
    },
    dispose: () => coalescer.dispose(),
  };
}
