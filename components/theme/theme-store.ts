/**
 * The theme preference (system, light or dark), kept in localStorage and applied as the `dark`
 * class on <html>. The inline script in the root layout applies it before first paint; this
 * store keeps it in sync afterwards, including when the system scheme changes.
 */

export const THEME_PREFERENCES = ["system", "light", "dark"] as const;
export type TThemePreference = (typeof THEME_PREFERENCES)[number];

export const THEME_STORAGE_KEY = "berth-theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

const listeners = new Set<() => void>();

function isPreference(value: unknown): value is TThemePreference {
  return THEME_PREFERENCES.some((preference) => preference === value);
}

export function readThemePreference(): TThemePreference {
  try {
    const stored = window.localStorage.getItem(THEME_STORAGE_KEY);

    return isPreference(stored) ? stored : "system";
  } catch {
    // Storage can be blocked (private mode, policies): fall back to the system scheme.
    return "system";
  }
}

/** Puts the `dark` class on <html> for a preference, resolving "system" by media query. */
export function applyThemePreference(preference: TThemePreference): void {
  const isDark =
    preference === "dark" || (preference === "system" && window.matchMedia(DARK_QUERY).matches);
  document.documentElement.classList.toggle("dark", isDark);
  document.documentElement.dataset.theme = preference;
}

export function writeThemePreference(preference: TThemePreference): void {
  try {
    window.localStorage.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Not persisted; still applied for this page.
  }
  applyThemePreference(preference);
  for (const listener of listeners) {
    listener();
  }
}

/** Subscribes to preference changes from this tab, other tabs and the system scheme. */
export function subscribeThemePreference(listener: () => void): () => void {
  const media = window.matchMedia(DARK_QUERY);
  const onSystemChange = () => {
    applyThemePreference(readThemePreference());
    listener();
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY) {
      onSystemChange();
    }
  };
  listeners.add(listener);
  media.addEventListener("change", onSystemChange);
  window.addEventListener("storage", onStorage);

  return () => {
    listeners.delete(listener);
    media.removeEventListener("change", onSystemChange);
    window.removeEventListener("storage", onStorage);
  };
}

/**
 * The script inlined in <head>: it runs before the body paints, so a dark-mode user never sees a
 * white flash. Kept tiny and dependency-free; it mirrors `applyThemePreference`.
 */
const SCRIPT_KEY = JSON.stringify(THEME_STORAGE_KEY);
const SCRIPT_QUERY = JSON.stringify(DARK_QUERY);

export const THEME_INIT_SCRIPT = [
  "(function(){try{",
  `var p=localStorage.getItem(${SCRIPT_KEY});`,
  'if(p!=="light"&&p!=="dark"){p="system"}',
  `var d=p==="dark"||(p==="system"&&matchMedia(${SCRIPT_QUERY}).matches);`,
  'var e=document.documentElement;e.classList.toggle("dark",d);e.dataset.theme=p',
  "}catch(_){}})();",
].join("");
