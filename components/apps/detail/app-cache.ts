"use client";

import { type QueryClient } from "@tanstack/react-query";

import type { TAppView, useTRPC } from "@/components/trpc/client";

type TTrpc = ReturnType<typeof useTRPC>;

/** After a change: the app's page shows the answer at once; its list and revisions refetch. */
export function applyAppChange(queryClient: QueryClient, trpc: TTrpc, app: TAppView) {
  queryClient.setQueryData(trpc.app.get.queryKey({ id: app.id }), app);
  void queryClient.invalidateQueries({ queryKey: trpc.app.find.queryKey() });
  void queryClient.invalidateQueries({ queryKey: trpc.app.revisions.queryKey({ id: app.id }) });
}
