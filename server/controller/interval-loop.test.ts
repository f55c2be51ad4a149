import { describe, expect, it, vi } from "vitest";

import { IntervalLoop } from "./interval-loop";

describe("IntervalLoop", () => {
  it("never runs two passes at once, and reports a failed pass without throwing", async () => {
    vi.useFakeTimers();
    let inFlight = 0;
    let maxInFlight = 0;
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new IntervalLoop({
      intervalMs: 10,
      pass: async () => {
        calls += 1;
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 35));
        inFlight -= 1;
        if (calls === 2) {
          throw new Error("boom");
        }
      },
      onError: (error) => errors.push(error),
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all([loop.stop(), vi.advanceTimersByTimeAsync(100)]);
    const callsAtStop = calls;
    await vi.advanceTimersByTimeAsync(100);
    vi.useRealTimers();

    expect(maxInFlight).toBe(1);
    expect(calls).toBeGreaterThan(2);
    expect(errors).toHaveLength(1);
    expect(calls).toBe(callsAtStop);
  });
});
