"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { type TRouterOutputs, useTRPCClient } from "@/components/trpc/client";

/** Waits for typing to pause before reading the file on the server. */
export const COMPOSE_PREVIEW_DEBOUNCE_MS = 500;
/** The root of the preview's query keys, to refresh them after an import. */
export const COMPOSE_PREVIEW_KEY = "compose.preview";

export type TComposePreview = TRouterOutputs["compose"]["preview"];
export type TServicePreview = TComposePreview["services"][number];
export type TImportOutcome = TRouterOutputs["compose"]["import"][number];

/** `value`, once it has stayed the same for `delayMs`. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);

    return () => clearTimeout(timer);
  }, [value, delayMs]);

  return settled;
}

/**
 * The server's reading of the Compose text, once typing pauses. The preview is a mutation (a
 * file does not fit in a URL) run as a query, so stale answers are dropped and the last one
 * stays on screen while the next is read. Nothing is written.
 */
export function useComposePreview(text: string) {
  const client = useTRPCClient();
  const settled = useDebounced(text, COMPOSE_PREVIEW_DEBOUNCE_MS);
  const preview = useQuery({
    queryKey: [COMPOSE_PREVIEW_KEY, settled],
    queryFn: ({ signal }) => client.compose.preview.mutate({ text: settled }, { signal }),
    enabled: settled.trim() !== "",
    placeholderData: keepPreviousData,
    retry: false,
    refetchOnWindowFocus: false,
  });

  return { preview, settled, isWaiting: text !== settled || preview.isFetching };
}
