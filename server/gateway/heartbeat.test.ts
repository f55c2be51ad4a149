import { describe, expect, it } from "vitest";

import { type TLiveGateway, drainVerdict } from "./heartbeat";

function gateway(id: string, draining: Record<string, number>): TLiveGateway {
  return { id, hostname: "h", address: "127.0.0.1", draining, listenErrors: [] };
}

describe("drainVerdict", () => {
  it("is drained when no gateway is live: nothing can be in flight", () => {
    expect(drainVerdict([], "r1")).toEqual({ isDrained: true });
  });

  it("is drained once every live gateway reports the replica with nothing in flight", () => {
    const gateways = [gateway("g1", { r1: 0 }), gateway("g2", { r1: 0, r2: 4 })];

    expect(drainVerdict(gateways, "r1")).toEqual({ isDrained: true });
  });

  it("waits for a gateway that has not seen the replica stopping, or still has requests", () => {
    const gateways = [gateway("g1", { r1: 2 }), gateway("g2", {}), gateway("g3", { r1: 0 })];

    expect(drainVerdict(gateways, "r1")).toEqual({
      isDrained: false,
      waitingOn: [
        { gateway: "g1", inFlight: 2 },
        { gateway: "g2", inFlight: undefined },
      ],
    });
  });
});
