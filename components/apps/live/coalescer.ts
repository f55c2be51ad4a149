/**
 * Turns bursts of pushes into at most one action per key per window: the first push acts at
 * once, later ones in the same window act once when it ends. A reconciler pass touches an app
 * many times in a second; its page refetches a few times, not dozens.
 */

type TTimers = {
  set: (run: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
};

const DEFAULT_TIMERS: TTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type TCoalescer<K> = {
  push: (key: K) => void;
  /** Stops every open window without acting on what it held. */
  dispose: () => void;
};

export function createCoalescer<K>(
  windowMs: number,
  act: (key: K) => void,
  timers: TTimers = DEFAULT_TIMERS,
): TCoalescer<K> {
  const windows = new Map<K, { handle: unknown; isDirty: boolean }>();

  const open = (key: K) => {
    const handle = timers.set(() => {
      const window = windows.get(key);
      windows.delete(key);
      if (window?.isDirty) {
        act(key);
        open(key);
      }
    }, windowMs);
    windows.set(key, { handle, isDirty: false });
  };

  return {
    push: (key) => {
      const window = windows.get(key);
      if (window) {
        window.isDirty = true;

        return;
      }
      act(key);
      open(key);
    },
    dispose: () => {
      for (const window of windows.values()) {
        timers.clear(window.handle);
      }
      windows.clear();
    },
  };
}
