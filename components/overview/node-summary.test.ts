import { describe, expect, it } from "vitest";

import { summariseNodes } from "./node-summary";

describe("summariseNodes", () => {
  it("counts by status and adds up ready capacity only", () => {
    const summary = summariseNodes([
      { status: "ready", cpus: 4, memoryBytes: 8 },
      { status: "ready", cpus: 2, memoryBytes: 4 },
      { status: "unreachable", cpus: 8, memoryBytes: 16 },
      { status: "cordoned", cpus: 1, memoryBytes: 1 },
    ]);
    expect(summary.counts).toEqual({ ready: 2, unreachable: 1, cordoned: 1, draining: 0 });
    expect(summary.total).toBe(4);
    expect(summary.readyCpus).toBe(6);
    expect(summary.readyMemoryBytes).toBe(12);
  });

  it("is all zeros for no nodes", () => {
    expect(summariseNodes([]).readyCpus).toBe(0);
    expect(summariseNodes([]).total).toBe(0);
  });
});
