import { describe, expect, it } from "vitest";

import { mergeSamples } from "./service";

function row(replicaId: string, gateway: string, second: number, values: Partial<Sample> = {}) {
  return {
    replicaId,
    gateway,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
    requestsPerSecond: 10,
    errorsPerSecond: 1,
    latencyP50Ms: 2,
    latencyP99Ms: 8,
    activeConnections: 3,
    isEjected: false,
    ...values,
  };
}

type Sample = Parameters<typeof mergeSamples>[0][number];

describe("mergeSamples", () => {
  it("takes each gateway's newest sample of a replica, ignoring older ones", () => {
    const { byReplica, gateways } = mergeSamples([
      row("r1", "g1", 0, { requestsPerSecond: 100 }),
      row("r1", "g1", 5, { requestsPerSecond: 7 }),
    ]);

    expect(byReplica.get("r1")?.requestsPerSecond).toBe(7);
    expect(gateways).toBe(1);
  });

  it("sums rates and connections over gateways, keeps the worst latency and any ejection", () => {
    const { byReplica, gateways } = mergeSamples([
      row("r1", "g1", 5, { latencyP50Ms: 2, latencyP99Ms: 30 }),
      row("r1", "g2", 4, { latencyP50Ms: 5, latencyP99Ms: 9, isEjected: true }),
      row("r2", "g2", 4),
    ]);
    const merged = byReplica.get("r1");

    expect(merged).toMatchObject({
      requestsPerSecond: 20,
      errorsPerSecond: 2,
      latencyP50Ms: 5,
      latencyP99Ms: 30,
      activeConnections: 6,
      isEjected: true,
    });
    expect(merged?.at).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 0, 5)));
    expect(byReplica.get("r2")?.requestsPerSecond).toBe(10);
    expect(gateways).toBe(2);
  });

  it("is empty without samples", () => {
    const { byReplica, gateways } = mergeSamples([]);

    expect(byReplica.size).toBe(0);
    expect(gateways).toBe(0);
  });
});
