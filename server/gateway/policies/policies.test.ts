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
