/**
 * Merging the lines of several containers into one time-ordered stream: each line is held for
 * a short window after it arrives, so that a line another container wrote a moment earlier,
 * but that arrived a moment later, still goes out before it.
 */
import type { TLogLine } from "./schema";

/** Time order, ties broken by key so that the order is the same for every viewer. */
export function compareLines(a: Pick<TLogLine, "at" | "key">, b: Pick<TLogLine, "at" | "key">) {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) {
    return byTime;
  }

  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export class ReorderWindow {
  private held: { line: TLogLine; dueAt: number }[] = [];

  constructor(private readonly windowMs: number) {}

  push(lines: readonly TLogLine[], now: number): void {
    for (const line of lines) {
      this.held.push({ line, dueAt: now + this.windowMs });
    }
  }

  /**
   * The lines whose window has passed, in time order, with any held line no newer than the
   * newest of them (so what goes out stays in order).
   */
  take(now: number): TLogLine[] {
    const due = this.held.filter((entry) => entry.dueAt <= now);
    if (due.length === 0) {
      return [];
    }
    const newest = due.reduce((max, entry) => Math.max(max, entry.line.at.getTime()), 0);
    const released: TLogLine[] = [];
    const kept: { line: TLogLine; dueAt: number }[] = [];
    for (const entry of this.held) {
      if (entry.dueAt <= now || entry.line.at.getTime() <= newest) {
        released.push(entry.line);
      } else {
        kept.push(entry);
      }
    }
    this.held = kept;

    return released.sort(compareLines);
  }

  /** When the next held line is due; undefined when none is held. */
  nextDueAt(): number | undefined {
    if (this.held.length === 0) {
      return undefined;
    }

    return this.held.reduce((min, entry) => Math.min(min, entry.dueAt), Number.POSITIVE_INFINITY);
  }
}
