import { describe, expect, it } from "vitest";

import { formatLatencyMs, formatRate } from "./format";

describe("gateway number formats", () => {
  it("writes rates and latencies in readable units", () => {
    expect([0, 2.345, 123.6].map(formatRate)).toEqual(["0", "2.3", "124"]);
    const latencies = [0, 0.42, 37.4, 1534].map(formatLatencyMs);

    expect(latencies).toEqual(["–", "0.4 ms", "37 ms", "1.53 s"]);
  });
});
