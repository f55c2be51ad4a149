import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { type THeartbeatState, onPingFailed, onPingOk, onTick, startWatching } from "./heartbeat";

const TIMEOUT_MS = 3000;

describe("heartbeat state machine", () => {
  it("stays ready while pings succeed", () => {
    let state = startWatching("ready", 0);
    for (let t = 1000; t <= 10_000; t += 1000) {
      state = onPingOk(state, t).state;
      const step = onTick(state, t + 500, TIMEOUT_MS);

      expect(step.transition).toBeNull();
      state = step.state;
    }

    expect(state.health).toBe("ready");
  });

  it("goes down once silent for the timeout, and only once", () => {
    let state = onPingOk(startWatching("ready", 0), 1000).state;
    state = onPingFailed(state, "connect ECONNREFUSED").state;

    expect(onTick(state, 3999, TIMEOUT_MS).transition).toBeNull();
    const down = onTick(state, 4000, TIMEOUT_MS);

    expect(down.transition).toBe("down");
    expect(down.state).toMatchObject({ health: "unreachable", lastError: "connect ECONNREFUSED" });
    expect(onTick(down.state, 9000, TIMEOUT_MS).transition).toBeNull();
  });

  it("comes back on the first successful ping", () => {
    const down = onTick(startWatching("ready", 0), 5000, TIMEOUT_MS).state;
    const up = onPingOk(down, 6000);

    expect(up.transition).toBe("up");
    expect(up.state).toEqual({ health: "ready", lastOkAt: 6000, lastError: null });
  });

  it("gives a new watcher a grace period before judging a stored ready node", () => {
    const state = startWatching("ready", 10_000);

    expect(onTick(state, 12_000, TIMEOUT_MS).transition).toBeNull();
    expect(onTick(state, 13_000, TIMEOUT_MS).transition).toBe("down");
  });

  it("never reports down while a ping succeeded within the timeout (property)", () => {
    type TInput = { kind: "ok" | "fail" | "tick"; dt: number };
    const ZStep = fc.record({
      kind: fc.constantFrom<TInput["kind"]>("ok", "fail", "tick"),
      dt: fc.integer({ min: 0, max: 2000 }),
    });
    fc.assert(
      fc.property(fc.array(ZStep, { maxLength: 200 }), (steps) => {
        let now = 0;
        let lastOk = 0;
        let state: THeartbeatState = startWatching("ready", 0);
        for (const step of steps) {
          now += step.dt;
          if (step.kind === "ok") {
            lastOk = now;
            state = onPingOk(state, now).state;
          } else if (step.kind === "fail") {
            state = onPingFailed(state, "x").state;
          } else {
            const result = onTick(state, now, TIMEOUT_MS);
            if (result.transition === "down" && now - lastOk < TIMEOUT_MS) {
              return false;
            }
            state = result.state;
          }
        }

        return true;
      }),
    );
  });
});
