import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { Ejector } from "./ejection";

function clock() {
  let now = 0;

  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("passive ejection", () => {
  it("ejects after N failures in a row, for a period that doubles up to the cap", () => {
    const time = clock();
    const ejector = new Ejector({ failuresToEject: 3, baseMs: 1000, maxMs: 4000, now: time.now });
    const periods: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      expect(ejector.recordFailure("a")).toBe(false);
      expect(ejector.recordFailure("a")).toBe(false);
      expect(ejector.recordFailure("a")).toBe(true);
      periods.push((ejector.ejectedUntil("a") ?? 0) - time.now());
      time.advance(periods.at(-1) ?? 0);
      expect(ejector.isEjected("a")).toBe(false);
    }

    expect(periods).toEqual([1000, 2000, 4000, 4000]);
  });

  it("resets the streak and the doubling on a success after the backend returns", () => {
    const time = clock();
    const ejector = new Ejector({ failuresToEject: 2, baseMs: 1000, now: time.now });
    ejector.recordFailure("a");
    ejector.recordFailure("a");
    time.advance(1000);
    ejector.recordSuccess("a");
    ejector.recordFailure("a");
    ejector.recordFailure("a");

    expect((ejector.ejectedUntil("a") ?? 0) - time.now()).toBe(1000);
  });

  it("never ejects a backend whose failures are broken up by successes", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 200 }), (outcomes) => {
        const ejector = new Ejector({ failuresToEject: 3, now: () => 0 });
        let streak = 0;
        for (const isFailure of outcomes) {
          if (isFailure) {
            streak += 1;
            expect(ejector.recordFailure("a")).toBe(streak === 3);
          } else {
            ejector.recordSuccess("a");
            streak = 0;
          }
          if (streak === 3) {
            return;
          }
        }
        expect(ejector.isEjected("a")).toBe(false);
      }),
    );
  });

  it("forgets backends that left the route", () => {
    const ejector = new Ejector({ failuresToEject: 1, now: () => 0 });
    ejector.recordFailure("a");
    ejector.retain(new Set(["b"]));

    expect(ejector.isEjected("a")).toBe(false);
  });
});
