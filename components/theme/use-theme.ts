"use client";

import { useSyncExternalStore } from "react";

import {
  type TThemePreference,
  readThemePreference,
  subscribeThemePreference,
  writeThemePreference,
} from "./theme-store";

function serverPreference(): TThemePreference {
  return "system";
}

/** The current theme preference and a setter that persists and applies it. */
export function useTheme(): [TThemePreference, (preference: TThemePreference) => void] {
  const preference = useSyncExternalStore(
    subscribeThemePreference,
    readThemePreference,
    serverPreference,
  );

  return [preference, writeThemePreference];
}
