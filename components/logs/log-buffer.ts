/**
 * The browser's buffer of a live log: lines pushed by the server are merged in time order,
 * de-duplicated by key (a reconnect sends the recent lines again), and capped, the oldest
 * dropped first. While paused, new lines wait aside and are counted.
 */
import type { TLogLine } from "@/server/logs/schema";

/** Lines kept on screen; older ones are dropped and counted. */
export const LOG_BUFFER_LINES = 5000;

export type TLogBuffer = {
  lines: readonly TLogLine[];
  /** Lines that came while paused, shown on resume. */
  waiting: readonly TLogLine[];
  isPaused: boolean;
  /** How many of the oldest lines were dropped to stay within the cap. */
  dropped: number;
};

export type TLogBufferAction =
  | { type: "lines"; lines: readonly TLogLine[] }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "clear" };

export const EMPTY_LOG_BUFFER: TLogBuffer = { lines: [], waiting: [], isPaused: false, dropped: 0 };

function isBefore(a: TLogLine, b: TLogLine): boolean {
  const byTime = a.at.getTime() - b.at.getTime();

  return byTime < 0 || (byTime === 0 && a.key < b.key);
}

function compare(a: TLogLine, b: TLogLine): number {
  return isBefore(a, b) ? -1 : isBefore(b, a) ? 1 : 0;
}

/** `current` plus the new lines whose key it lacks, in time order, and the overflow count. */
export function mergeLines(
  current: readonly TLogLine[],
  incoming: readonly TLogLine[],
  cap: number,
): { lines: readonly TLogLine[]; dropped: number } {
  const seen = new Set(current.map((line) => line.key));
  const fresh: TLogLine[] = [];
  for (const line of incoming) {
    if (!seen.has(line.key)) {
      seen.add(line.key);
      fresh.push(line);
    }
  }
  if (fresh.length === 0) {
    return { lines: current, dropped: 0 };
  }
  fresh.sort(compare);
  const last = current.at(-1);
  const first = fresh[0];
  // Live lines almost always come after what is shown: append without sorting everything.
  const merged =
    !last || (first && !isBefore(first, last))
      ? current.concat(fresh)
      : current.concat(fresh).sort(compare);
  const dropped = Math.max(0, merged.length - cap);

  return { lines: dropped > 0 ? merged.slice(dropped) : merged, dropped };
}

export function logBufferReducer(
  state: TLogBuffer,
  action: TLogBufferAction,
  cap = LOG_BUFFER_LINES,
): TLogBuffer {
  switch (action.type) {
    case "lines": {
      if (state.isPaused) {
        const waiting = mergeLines(state.waiting, action.lines, cap);

        return { ...state, waiting: waiting.lines, dropped: state.dropped + waiting.dropped };
      }
      const next = mergeLines(state.lines, action.lines, cap);
      if (next.lines === state.lines) {
        return state;
      }

      return { ...state, lines: next.lines, dropped: state.dropped + next.dropped };
    }
    case "pause":
      return { ...state, isPaused: true };
    case "resume": {
      const next = mergeLines(state.lines, state.waiting, cap);

      return {
        ...state,
        lines: next.lines,
        waiting: [],
        isPaused: false,
        dropped: state.dropped + next.dropped,
      };
    }
    case "clear":
      return { ...EMPTY_LOG_BUFFER, isPaused: state.isPaused };
  }
}
