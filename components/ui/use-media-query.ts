"use client";

import { useCallback, useSyncExternalStore } from "react";

/** Tailwind's `lg` breakpoint: wide lists are tables above it and cards below. */
export const TABLE_QUERY = "(min-width: 1024px)";

/**
 * Whether a media query matches. Lists use it to render either a table or cards, never both,
 * so each item exists once in the page. The server renders the narrow layout.
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const media = window.matchMedia(query);
      media.addEventListener("change", onChange);

      return () => media.removeEventListener("change", onChange);
    },
    [query],
  );

  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => false,
  );
}
