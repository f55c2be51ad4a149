import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { type TVerdict, nextVerdict } from "./verdict";

const STARTING: TVerdict = { health: "starting", failures: 0, message: null };
const TIMING = { retries: 3, startPeriodMs: 5000 };
const FAIL = { isOk: false, message: "connection refused" };
const OK = { isOk: true, message: "HTTP 200" };

describe("nextVerdict", () => {
  it("turns healthy on the first success", () => {
    expect(nextVerdict(STARTING, OK, TIMING, 100)).toEqual({
      health: "healthy",
      failures: 0,
      message: null,
    });
  });

  it("does not count failures inside the start period", () => {
    const verdict = nextVerdict(STARTING, FAIL, TIMING, 4999);

    expect(verdict).toEqual({ health: "starting", failures: 0, message: "connection refused" });
  });

  it("turns unhealthy after retries failures in a row, not before", () => {
    const healthy: TVerdict = { health: "healthy", failures: 0, message: null };
    const once = nextVerdict(healthy, FAIL, TIMING, 60_000);
    const twice = nextVerdict(once, FAIL, TIMING, 60_000);
    const thrice = nextVerdict(twice, FAIL, TIMING, 60_000);

    expect([once.health, twice.health, thrice.health]).toEqual(["healthy", "healthy", "unhealthy"]);
    expect(thrice.message).toBe("connection refused");
  });

  it("counts start-period failures once the period is over, even never healthy", () => {
    const first = nextVerdict(STARTING, FAIL, { retries: 1, startPeriodMs: 0 }, 0);

    expect(first.health).toBe("unhealthy");
  });

  it("is unhealthy exactly when the last retries results all failed after the start period", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 5 }),
        (results, retries) => {
          let verdict = STARTING;
          for (const isOk of results) {
            verdict = nextVerdict(verdict, isOk ? OK : FAIL, { retries, startPeriodMs: 0 }, 1);
          }
          const tail = results.slice(-retries);
          const failedTail = tail.length === retries && tail.every((isOk) => !isOk);
          const failedSinceLastOk = results.lastIndexOf(true) < results.length - retries;

          expect(verdict.health === "unhealthy").toBe(failedTail || failedSinceLastOk);
        },
      ),
    );
  });
});
