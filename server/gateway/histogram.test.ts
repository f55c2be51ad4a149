import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { GROWTH, LatencyHistogram, MIN_BUCKET_MS, bucketUpperMs } from "./histogram";

function exactQuantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);

  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

describe("latency histogram", () => {
  it("reads each quantile at or above the true one, within one bucket", () => {
    const sample = fc.double({ min: MIN_BUCKET_MS, max: 60_000, noNaN: true });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 300 }), (samples) => {
        const histogram = new LatencyHistogram();
        samples.forEach((ms) => histogram.record(ms));
        for (const q of [0.5, 0.9, 0.99, 1]) {
          const exact = exactQuantile(samples, q);
          const read = histogram.quantile(q);
          expect(read).toBeGreaterThanOrEqual(exact * 0.999_999);
          expect(read).toBeLessThanOrEqual(exact * GROWTH * 1.000_001);
        }
      }),
    );
  });

  it("reads 0 when empty, puts tiny and huge samples in the end buckets, and resets", () => {
    const histogram = new LatencyHistogram();
    expect(histogram.quantile(0.5)).toBe(0);
    histogram.record(0);
    histogram.record(10_000_000);
    expect(histogram.quantile(0.5)).toBe(bucketUpperMs(0));
    expect(histogram.quantile(1)).toBeGreaterThan(120_000);
    histogram.reset();

    expect(histogram.count).toBe(0);
    expect(histogram.quantile(0.99)).toBe(0);
  });
});
