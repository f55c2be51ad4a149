import { describe, expect, it } from "vitest";

import {
  describeConstraint,
  emptyReasonCounts,
  explainMessage,
  formatBytes,
  formatCpu,
} from "./explain";
import { MIB_BYTES, fakeRequest } from "./harness";

describe("explanations", () => {
  it("formats sizes as people read them", () => {
    expect(formatBytes(512 * MIB_BYTES)).toBe("512 MiB");
    expect(formatBytes(1536 * MIB_BYTES)).toBe("1.5 GiB");
    expect(formatBytes(100)).toBe("100 B");
    expect(formatCpu(500)).toBe("0.5 CPU");
    expect(formatCpu(2000)).toBe("2 CPU");
  });

  it("writes constraints as in the app spec", () => {
    expect(describeConstraint({ key: "zone", operator: "==", value: "eu" })).toBe("zone == eu");
    expect(describeConstraint({ key: "zone", operator: "!=", value: "eu" })).toBe("zone != eu");
    expect(describeConstraint({ key: "zone", operator: "in", values: ["a", "b"] })).toBe(
      "zone in [a, b]",
    );
  });

  it("lists reasons by count, most first, with agreeing verbs", () => {
    const reasonCounts = {
      ...emptyReasonCounts(),
      "node-cordoned": 1,
      "insufficient-cpu": 3,
      "host-port-conflict": 2,
    };
    const message = explainMessage({
      request: fakeRequest({ hostPorts: [{ port: 80, protocol: "tcp" }] }),
      nodesConsidered: 6,
      nodesFeasible: 0,
      reasonCounts,
      constraintCounts: {},
      chosen: null,
    });

    expect(message).toBe(
      "0 of 6 nodes fit: 3 lack 0.5 CPU of free CPU, 2 have host port tcp/80 taken, 1 is cordoned",
    );
  });

  // The max-per-node phrase once printed the app's UUID where people expect its name.
  it("names the app, not its id, in the max-per-node phrase", () => {
    const request = fakeRequest({
      appId: "5f0c1d2e-0000-4000-8000-000000000001",
      appName: "web",
      placement: { ...fakeRequest().placement, maxPerNode: 2 },
    });
    const message = explainMessage({
      request,
      nodesConsidered: 3,
      nodesFeasible: 1,
      reasonCounts: { ...emptyReasonCounts(), "max-per-node": 2 },
      constraintCounts: {},
      chosen: null,
    });

    expect(message).toBe("1 of 3 nodes fit: 2 already run 2 of web (max)");
    expect(message).not.toContain(request.appId);
  });

  it("says which image nodes lack and that pulling is off", () => {
    const message = explainMessage({
      request: fakeRequest({ image: "berth-demo/web:3", canPull: false }),
      nodesConsidered: 3,
      nodesFeasible: 1,
      reasonCounts: { ...emptyReasonCounts(), "image-unavailable": 2 },
      constraintCounts: {},
      chosen: null,
    });

    expect(message).toBe("1 of 3 nodes fit: 2 lack image berth-demo/web:3 (pulling is off)");
  });

  it("names the chosen node and its score when placed", () => {
    const message = explainMessage({
      request: fakeRequest(),
      nodesConsidered: 2,
      nodesFeasible: 2,
      reasonCounts: emptyReasonCounts(),
      constraintCounts: {},
      chosen: { nodeName: "node-1", score: 87.654 },
    });

    expect(message).toBe("placed on node-1 (score 87.7); 2 of 2 nodes fit");
  });
});
