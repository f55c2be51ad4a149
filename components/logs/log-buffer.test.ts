import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { TLogLine } from "@/server/logs/schema";

import { EMPTY_LOG_BUFFER, type TLogBuffer, logBufferReducer, mergeLines } from "./log-buffer";

function line(key: string, atMs: number): TLogLine {
  return {
    key,
    at: new Date(atMs),
    appId: "a",
    replicaId: "r",
    slot: 0,
    nodeName: "lab-1",
    stream: "stdout",
    line: key,
  };
}

const keysOf = (state: { lines: readonly TLogLine[] }) => state.lines.map((l) => l.key);

describe("mergeLines", () => {
  it("appends later lines and drops keys it has", () => {
    const current = [line("a", 1), line("b", 2)];
    const merged = mergeLines(current, [line("b", 2), line("c", 3)], 10);

    expect(keysOf(merged)).toEqual(["a", "b", "c"]);
    expect(merged.dropped).toBe(0);
  });

  it("puts earlier lines in their place", () => {
    const merged = mergeLines([line("a", 1), line("c", 3)], [line("b", 2)], 10);

    expect(keysOf(merged)).toEqual(["a", "b", "c"]);
  });

  it("keeps the same array when nothing is new", () => {
    const current = [line("a", 1)];

    expect(mergeLines(current, [line("a", 1)], 10).lines).toBe(current);
  });

  it("drops the oldest beyond the cap and counts them", () => {
    const merged = mergeLines([line("a", 1), line("b", 2)], [line("c", 3), line("d", 4)], 3);

    expect(keysOf(merged)).toEqual(["b", "c", "d"]);
    expect(merged.dropped).toBe(1);
  });

  it("is ordered, unique and capped whatever arrives", () => {
    const batch = fc.array(
      fc.record({ key: fc.string({ maxLength: 3 }), at: fc.integer({ min: 0, max: 50 }) }),
    );
    fc.assert(
      fc.property(fc.array(batch, { maxLength: 6 }), (batches) => {
        let lines: readonly TLogLine[] = [];
        for (const b of batches) {
          lines = mergeLines(
            lines,
            b.map((l) => line(l.key, l.at)),
            20,
          ).lines;
        }
        const keys = lines.map((l) => l.key);
        const times = lines.map((l) => l.at.getTime());

        expect(new Set(keys).size).toBe(keys.length);
        expect(times).toEqual([...times].sort((x, y) => x - y));
        expect(lines.length).toBeLessThanOrEqual(20);
      }),
    );
  });
});

describe("logBufferReducer", () => {
  it("holds lines while paused, counts them, and shows them on resume", () => {
    let state: TLogBuffer = logBufferReducer(EMPTY_LOG_BUFFER, {
      type: "lines",
      lines: [line("a", 1)],
    });
    state = logBufferReducer(state, { type: "pause" });
    state = logBufferReducer(state, { type: "lines", lines: [line("b", 2), line("c", 3)] });

    expect(keysOf(state)).toEqual(["a"]);
    expect(state.waiting).toHaveLength(2);

    state = logBufferReducer(state, { type: "resume" });

    expect(keysOf(state)).toEqual(["a", "b", "c"]);
    expect(state.waiting).toEqual([]);
    expect(state.isPaused).toBe(false);
  });

  it("counts lines dropped by the cap", () => {
    let state = EMPTY_LOG_BUFFER;
    for (let i = 0; i < 5; i += 1) {
      state = logBufferReducer(state, { type: "lines", lines: [line(`k${i}`, i)] }, 3);
    }

    expect(keysOf(state)).toEqual(["k2", "k3", "k4"]);
    expect(state.dropped).toBe(2);
  });

  it("clears lines but stays paused", () => {
    const paused = logBufferReducer(
      { ...EMPTY_LOG_BUFFER, lines: [line("a", 1)], dropped: 4 },
      { type: "pause" },
    );

    expect(logBufferReducer(paused, { type: "clear" })).toEqual({
      ...EMPTY_LOG_BUFFER,
      isPaused: true,
    });
  });
});
