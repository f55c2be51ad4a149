import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { LB_POLICIES } from "@/server/apps/spec";

import { buildRing, lookup } from "./consistent-hash";
import { type TCandidate, createPolicy, seededRandom } from "./index";
import { leastConnections } from "./least-connections";
import { PeakEwma } from "../metrics";
import { costOf, powerOfTwoChoices } from "./p2c";
import { randomPick } from "./random";
import { roundRobin } from "./round-robin";
import { weightedRoundRobin } from "./weighted";

function candidates(count: number, weights: number[] = []): TCandidate[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `r${i}`,
    weight: weights[i] ?? 1,
    outstanding: 0,
  }));
}

function countPicks(pick: () => TCandidate | undefined, times: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < times; i += 1) {
    const chosen = pick();
    if (chosen) {
      counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
    }
  }

  return counts;
}

describe("every policy", () => {
  it.each(LB_POLICIES)("%s picks only among the candidates, and none from none", (name) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (count, seed) => {
        const policy = createPolicy(name, seededRandom(seed));
        const list = candidates(count);
        expect(policy.pick([])).toBeUndefined();
        for (let i = 0; i < 50; i += 1) {
          const chosen = policy.pick(list, { key: `k${i}` });
          expect(list).toContain(chosen);
        }
      }),
    );
  });
});

describe("round robin", () => {
  it("gives every candidate the same share, within one, over any number of picks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.nat(500), (count, picks) => {
        const policy = roundRobin();
        const list = candidates(count);
        const counts = countPicks(() => policy.pick(list), picks);
        const shares = list.map((c) => counts.get(c.id) ?? 0);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("smooth weighted round robin", () => {
  it("gives each candidate exactly its weight in every window of sum(weights) picks", () => {
    const weights = fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        weights.filter((w) => w.some((x) => x > 0)),
        fc.nat(3),
        (w, rounds) => {
          const policy = weightedRoundRobin();
          const list = candidates(w.length, w);
          const total = w.reduce((sum, x) => sum + x, 0);
          countPicks(() => policy.pick(list), rounds * total);
          const counts = countPicks(() => policy.pick(list), total);
          list.forEach((c, i) => expect(counts.get(c.id) ?? 0).toBe(w[i]));
        },
      ),
    );
  });

  it("interleaves rather than bursts, as nginx does (5, 1, 1)", () => {
    const policy = weightedRoundRobin();
    const list = candidates(3, [5, 1, 1]);
    const order = Array.from({ length: 7 }, () => policy.pick(list)?.id).join(" ");

    expect(order).toBe("r0 r0 r1 r0 r2 r0 r0");
  });

  it("shares in turn when every eligible candidate weighs 0", () => {
    const policy = weightedRoundRobin();
    const counts = countPicks(() => policy.pick(candidates(2, [0, 0])), 10);

    expect([...counts.values()]).toEqual([5, 5]);
  });
});

describe("random", () => {
  it("replays the same choices from the same seed, and spreads within 10 %", () => {
    const list = candidates(4);
    const first = randomPick(seededRandom(7));
    const second = randomPick(seededRandom(7));
    const a = Array.from({ length: 100 }, () => first.pick(list)?.id);
    const b = Array.from({ length: 100 }, () => second.pick(list)?.id);
    expect(a).toEqual(b);

    const policy = randomPick(seededRandom(11));
    const counts = countPicks(() => policy.pick(list), 10_000);
    for (const c of list) {
      expect(Math.abs((counts.get(c.id) ?? 0) - 2500)).toBeLessThan(250);
    }
  });
});

describe("least connections", () => {
  it("always picks a candidate with the fewest in flight", () => {
    const outstanding = fc.array(fc.nat(50), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(outstanding, (counts) => {
        const list = counts.map((n, i) => ({ id: `r${i}`, weight: 1, outstanding: n }));
        const chosen = leastConnections().pick(list);
        expect(chosen?.outstanding).toBe(Math.min(...counts));
      }),
    );
  });

  it("shares evenly among idle candidates", () => {
    const policy = leastConnections();
    const counts = countPicks(() => policy.pick(candidates(3)), 300);

    expect([...counts.values()]).toEqual([100, 100, 100]);
  });
});

describe("power of two choices", () => {
  it("never picks the busiest of several, and never a busier of the two it drew", () => {
    const outstanding = fc.uniqueArray(fc.nat(1000), { minLength: 3, maxLength: 10 });
    fc.assert(
      fc.property(outstanding, fc.integer(), (counts, seed) => {
        const list = counts.map((n, i) => ({ id: `r${i}`, weight: 1, outstanding: n }));
        const policy = powerOfTwoChoices(seededRandom(seed));
        for (let i = 0; i < 20; i += 1) {
          expect(policy.pick(list)?.outstanding).not.toBe(Math.max(...counts));
        }
      }),
    );
  });

  it("spreads idle load within 10 % and avoids a backend with a queue", () => {
    const policy = powerOfTwoChoices(seededRandom(3));
    const list = candidates(4);
    const counts = countPicks(() => policy.pick(list), 10_000);
    for (const c of list) {
      expect(Math.abs((counts.get(c.id) ?? 0) - 2500)).toBeLessThan(250);
    }
    const slow = list.map((c, i) => ({ ...c, outstanding: i === 0 ? 20 : 0 }));
    const slowCounts = countPicks(() => policy.pick(slow), 1000);

    expect(slowCounts.get("r0") ?? 0).toBe(0);
  });
});

describe("power of two choices with latency", () => {
  it("sends a slow idle backend almost nothing while fast ones have short queues", () => {
    const policy = powerOfTwoChoices(seededRandom(5));
    const list = candidates(4).map((c, i) => ({
      ...c,
      outstanding: i === 0 ? 0 : 1,
      latencyMs: i === 0 ? 200 : 2,
    }));
    const counts = countPicks(() => policy.pick(list), 10_000);

    expect(counts.get("r0") ?? 0).toBe(0);
  });

  it("prefers the lower expected wait of the two it drew", () => {
    const backend = fc.record({
      outstanding: fc.nat(50),
      latencyMs: fc.double({ min: 0.1, max: 500, noNaN: true }),
    });
    fc.assert(
      fc.property(backend, backend, fc.integer(), (a, b, seed) => {
        const list = [
          { id: "a", weight: 1, ...a },
          { id: "b", weight: 1, ...b },
        ];
        const picked = powerOfTwoChoices(seededRandom(seed)).pick(list);
        const other = picked?.id === "a" ? list[1] : list[0];

        expect(costOf(picked!)).toBeLessThanOrEqual(costOf(other!));
      }),
    );
  });
});

describe("peak EWMA", () => {
  it("decays once per answer: after one decay time the old value keeps 1/e of its weight", () => {
    const ewma = new PeakEwma(1000);
    ewma.record(100, 0);

    expect(ewma.read(1000)).toBeCloseTo(100 / Math.E, 9);
    ewma.record(10, 1000);

    expect(ewma.read(1000)).toBeCloseTo(100 / Math.E + 10 * (1 - 1 / Math.E), 9);
    expect(ewma.read(2000)).toBeCloseTo((100 / Math.E + 10 * (1 - 1 / Math.E)) / Math.E, 9);
  });

  it("follows the time-weighted EWMA with peaks for any answers and gaps", () => {
    const answer = fc.record({
      latencyMs: fc.double({ min: 0, max: 1000, noNaN: true }),
      gapMs: fc.nat(5000),
    });
    fc.assert(
      fc.property(fc.array(answer, { minLength: 1, maxLength: 40 }), (answers) => {
        const decayMs = 1000;
        const ewma = new PeakEwma(decayMs);
        let value: number | undefined;
        let at = 0;
        let now = 0;
        for (const { latencyMs, gapMs } of answers) {
          now += gapMs;
          const weight = Math.exp(-(now - at) / decayMs);
          const decayed = value === undefined ? undefined : value * weight;
          value =
            decayed === undefined || latencyMs > decayed
              ? latencyMs
              : (value ?? 0) * weight + latencyMs * (1 - weight);
          at = now;
          ewma.record(latencyMs, now);
        }

        expect(ewma.read(now)).toBeCloseTo(value ?? 0, 6);
      }),
    );
  });

  it("rises at once on a slow answer, falls gradually, and fades while idle", () => {
    const ewma = new PeakEwma(1000);
    ewma.record(100, 0);

    expect(ewma.read(0)).toBe(100);
    ewma.record(300, 10);

    expect(ewma.read(10)).toBe(300);
    ewma.record(10, 20);

    expect(ewma.read(20)).toBeGreaterThan(250);
    expect(ewma.read(20 + 5000)).toBeLessThan(3);
  });
});

/** Five standard deviations of a count over `picks` draws of probability 1/n. */
function fiveSigma(picks: number, n: number): number {
  return 5 * Math.sqrt((picks * (1 / n) * (n - 1)) / n);
}

describe("fairness over 10,000 picks", () => {
  const PICKS = 10_000;
  const setup = fc.record({ count: fc.integer({ min: 2, max: 8 }), seed: fc.integer() });

  it.each(["random", "p2c"] as const)(
    "%s gives equal backends equal shares within five standard deviations",
    (name) => {
      fc.assert(
        fc.property(setup, ({ count, seed }) => {
          const policy = createPolicy(name, seededRandom(seed));
          const list = candidates(count).map((c) => ({ ...c, latencyMs: 2 }));
          const counts = countPicks(() => policy.pick(list), PICKS);
          for (const c of list) {
            expect(Math.abs((counts.get(c.id) ?? 0) - PICKS / count)).toBeLessThan(
              fiveSigma(PICKS, count),
            );
          }
        }),
        { numRuns: 30 },
      );
    },
  );

  it("least connections keeps equal backends within one request of each other", () => {
    const load = fc.record({
      count: fc.integer({ min: 1, max: 8 }),
      inFlight: fc.integer({ min: 1, max: 24 }),
    });
    fc.assert(
      fc.property(load, ({ count, inFlight }) => {
        // Each request finishes after `inFlight` later ones start: a steady concurrency.
        const list = candidates(count);
        const policy = leastConnections();
        const queue: TCandidate[] = [];
        const counts = new Map<string, number>();
        for (let i = 0; i < PICKS; i += 1) {
          const finished = queue.length >= inFlight ? queue.shift() : undefined;
          if (finished) {
            finished.outstanding -= 1;
          }
          const chosen = policy.pick(list);
          if (chosen) {
            chosen.outstanding += 1;
            queue.push(chosen);
            counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
          }
        }
        const shares = list.map((c) => counts.get(c.id) ?? 0);

        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 30 },
    );
  });

  it("p2c sends a backend twice as slow fewer requests, and still some", () => {
    fc.assert(
      fc.property(setup, ({ count, seed }) => {
        const policy = createPolicy("p2c", seededRandom(seed));
        const list = candidates(count).map((c, i) => ({ ...c, latencyMs: i === 0 ? 4 : 2 }));
        const queue: TCandidate[] = [];
        const counts = new Map<string, number>();
        for (let i = 0; i < PICKS; i += 1) {
          const finished = queue.length >= count ? queue.shift() : undefined;
          if (finished) {
            finished.outstanding -= 1;
          }
          const chosen = policy.pick(list);
          if (chosen) {
            chosen.outstanding += 1;
            queue.push(chosen);
            counts.set(chosen.id, (counts.get(chosen.id) ?? 0) + 1);
          }
        }
        const slow = counts.get("r0") ?? 0;

        expect(slow).toBeGreaterThan(0);
        expect(slow).toBeLessThan(PICKS / count);
      }),
      { numRuns: 30 },
    );
  });

  it("consistent hash spreads 10,000 keys within 40 % of even, whatever the replica ids", () => {
    const ids = fc.uniqueArray(fc.uuid(), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(ids, fc.integer(), (replicaIds, seed) => {
        const policy = createPolicy("consistent-hash");
        const list = replicaIds.map((id) => ({ id, weight: 1, outstanding: 0 }));
        let i = 0;
        const counts = countPicks(() => policy.pick(list, { key: `user-${seed}-${i++}` }), PICKS);
        const even = PICKS / list.length;
        for (const c of list) {
          expect(Math.abs((counts.get(c.id) ?? 0) - even) / even).toBeLessThan(0.4);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("consistent hashing", () => {
  it("sends one key to one backend, and moves only the keys of a backend that leaves", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 50 }),
        (count, keys) => {
          const all = buildRing(candidates(count).map((c) => c.id));
          const fewer = buildRing(candidates(count - 1).map((c) => c.id));
          for (const key of keys) {
            const before = lookup(all, key);
            expect(lookup(all, key)).toBe(before);
            if (before !== `r${count - 1}`) {
              expect(lookup(fewer, key)).toBe(before);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("spreads 10,000 keys within 25 % of an even share over 4 backends", () => {
    const policy = createPolicy("consistent-hash");
    const list = candidates(4);
    const counts = countPicks(
      (() => {
        let i = 0;

        return () => policy.pick(list, { key: `10.0.${i >> 8}.${i++ & 255}` });
      })(),
      10_000,
    );
    for (const c of list) {
      expect(Math.abs((counts.get(c.id) ?? 0) - 2500)).toBeLessThan(625);
    }
  });

  it("sends requests without a key round robin", () => {
    const policy = createPolicy("consistent-hash");
    const counts = countPicks(() => policy.pick(candidates(2)), 10);

    expect([...counts.values()]).toEqual([5, 5]);
  });
});
