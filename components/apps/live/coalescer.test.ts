import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createCoalescer } from "./coalescer";

const WINDOW_MS = 300;

describe("createCoalescer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("acts at once on the first push, then once more for a burst within the window", () => {
    const act = vi.fn();
    const coalescer = createCoalescer(WINDOW_MS, act);
    coalescer.push("a");
    expect(act).toHaveBeenCalledTimes(1);
    coalescer.push("a");
    coalescer.push("a");
    coalescer.push("a");
    expect(act).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(WINDOW_MS);
    expect(act).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(WINDOW_MS * 3);
    expect(act).toHaveBeenCalledTimes(2);
  });

  it("keeps a window per key", () => {
    const act = vi.fn();
    const coalescer = createCoalescer(WINDOW_MS, act);
    coalescer.push("a");
    coalescer.push("b");
    coalescer.push("a");
    expect(act.mock.calls).toEqual([["a"], ["b"]]);
    vi.advanceTimersByTime(WINDOW_MS);
    expect(act.mock.calls).toEqual([["a"], ["b"], ["a"]]);
  });

  it("acts at most once per window under a steady stream", () => {
    const act = vi.fn();
    const coalescer = createCoalescer(WINDOW_MS, act);
    for (let elapsed = 0; elapsed < WINDOW_MS * 10; elapsed += 10) {
      coalescer.push("a");
      vi.advanceTimersByTime(10);
    }
    expect(act.mock.calls.length).toBeLessThanOrEqual(11);
    expect(act.mock.calls.length).toBeGreaterThanOrEqual(10);
  });

  it("drops what is pending when disposed", () => {
    const act = vi.fn();
    const coalescer = createCoalescer(WINDOW_MS, act);
    coalescer.push("a");
    coalescer.push("a");
    coalescer.dispose();
    vi.advanceTimersByTime(WINDOW_MS * 2);
    expect(act).toHaveBeenCalledTimes(1);
  });
});
