"use client";

import { useId } from "react";

import { THEME_PREFERENCES, type TThemePreference } from "@/components/theme/theme-store";
import { useTheme } from "@/components/theme/use-theme";
import { cx } from "@/components/ui/cx";
import { MonitorIcon, MoonIcon, SunIcon } from "@/components/ui/icons";

const LABELS: Record<TThemePreference, string> = {
  system: "System",
  light: "Light",
  dark: "Dark",
};

const ICONS = { system: MonitorIcon, light: SunIcon, dark: MoonIcon } as const;

/**
 * System / light / dark as a radio group (native radios, so arrow keys work). `isCompact` shows
 * icons only, with the names kept for screen readers.
 */
export function ThemeToggle({ isCompact = false }: { isCompact?: boolean }) {
  const [preference, setPreference] = useTheme();
  const name = useId();

  return (
    <fieldset className="inline-flex rounded-md border border-line bg-sunken p-0.5">
      <legend className="sr-only">Theme</legend>
      {THEME_PREFERENCES.map((option) => {
        const Icon = ICONS[option];
        const isChecked = preference === option;

        return (
          <label
            key={option}
            title={LABELS[option]}
            className={cx(
              "relative flex cursor-pointer items-center gap-1.5 rounded px-2 py-1 text-xs",
              "has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-focus",
              isChecked ? "bg-surface text-fg shadow-xs" : "text-muted hover:text-fg",
            )}
          >
            <input
              type="radio"
              name={name}
              value={option}
              checked={isChecked}
              onChange={() => setPreference(option)}
              className="sr-only"
            />
            <Icon className="size-3.5" />
            <span className={isCompact ? "sr-only" : undefined}>{LABELS[option]}</span>
          </label>
        );
      })}
    </fieldset>
  );
}
