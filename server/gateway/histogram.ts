/**
 * A latency histogram with fixed, geometrically growing buckets: constant memory and O(1)
 * records, and quantiles within one bucket's width (GROWTH - 1, about 10 %) of the truth.
 */

/** The first bucket's upper bound. */
export const MIN_BUCKET_MS = 0.05;
/** Each bucket is this much wider than the one before. */
export const GROWTH = 1.1;
/** Enough buckets to reach past 2 minutes (0.05 ms × 1.1^159); slower ones land in the last. */
export const BUCKET_COUNT = 160;

const LOG_GROWTH = Math.log(GROWTH);

/** The upper bound of bucket `index`, in milliseconds. */
export function bucketUpperMs(index: number): number {
  return MIN_BUCKET_MS * GROWTH ** index;
}

function bucketOf(ms: number): number {
  if (!(ms > MIN_BUCKET_MS)) {
    return 0;
  }
  let index = Math.ceil(Math.log(ms / MIN_BUCKET_MS) / LOG_GROWTH - 1e-9);
  // The logarithm can land a hair low at a boundary: the bucket's bound must hold the sample.
  if (bucketUpperMs(index) < ms) {
    index += 1;
  }

  return Math.min(BUCKET_COUNT - 1, index);
}

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKET_COUNT);
  private total = 0;

  get count(): number {
    return this.total;
  }

  record(ms: number): void {
    const index = bucketOf(ms);
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.total += 1;
  }

  /**
   * The q-quantile (0 < q ≤ 1) as the upper bound of the bucket that holds it, so it never
   * reads lower than the true value; 0 when nothing was recorded.
   */
  quantile(q: number): number {
    if (this.total === 0) {
      return 0;
    }
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index += 1) {
      seen += this.counts[index] ?? 0;
      if (seen >= rank) {
        return bucketUpperMs(index);
      }
    }

    return bucketUpperMs(BUCKET_COUNT - 1);
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
