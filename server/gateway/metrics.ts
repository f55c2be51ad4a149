/** What the gateway counts per backend between two stats writes. */
import { LatencyHistogram } from "./histogram";

export type TBackendSample = {
  requestsPerSecond: number;
  errorsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
};

/**
 * How fast a backend's remembered latency fades: the e-fold time of the EWMA, and of its fall
 * while the backend gets no answers. An avoided backend is tried again after about
 * `decay × ln(its cost ÷ the others')`: some 5 s for one 100× slower, under 3 s after a 15×
 * spike. With 10 s (Finagle's default) one healthy replica of the lab got 0.5 % instead of
 * 25 % of a 3 s p2c run in bench/gateway: one early slow answer kept it avoided throughout.
 */
export const LATENCY_DECAY_MS = 1000;

/**
 * Peak EWMA of latency: a slower answer raises it at once, faster ones lower it gradually,
 * and it fades while the backend answers nothing, so an avoided backend is tried again.
 */
export class PeakEwma {
  private value: number | undefined;
  private updatedAt = 0;

  constructor(private readonly decayMs = LATENCY_DECAY_MS) {}

  /**
   * A new answer: above the current value it becomes the value (the peak); otherwise it is
   * blended in as a time-weighted EWMA, `v·w + x·(1 − w)` with `w = e^(−Δt/decay)`, where `v`
   * is the stored value and Δt the time since it was stored. Applying the decay once here
   * (not on top of `read`'s) keeps `decayMs` the true e-fold time.
   */
  record(latencyMs: number, now: number): void {
    const current = this.read(now);
    if (this.value === undefined || current === undefined || latencyMs > current) {
      this.value = latencyMs;
    } else {
      const weight = Math.exp(-Math.max(0, now - this.updatedAt) / this.decayMs);
      this.value = this.value * weight + latencyMs * (1 - weight);
    }
    this.updatedAt = now;
  }

  /** Undefined until the first answer. */
  read(now: number): number | undefined {
    if (this.value === undefined) {
      return undefined;
    }

    return this.value * Math.exp(-Math.max(0, now - this.updatedAt) / this.decayMs);
  }
}

export class BackendMetrics {
  private requests = 0;
  private errors = 0;
  private readonly latency = new LatencyHistogram();
  /** Recent latency, for the power-of-two-choices policy. */
  readonly ewma = new PeakEwma();

  /**
   * How long the backend took to answer: until the response headers (http) or until the
   * connection opened (WebSocket, tcp). A stream's or a tunnel's whole life is not latency:
   * counted as such, one long connection would mark a fast backend slow.
   */
  recordLatency(latencyMs: number, now = performance.now()): void {
    this.latency.record(latencyMs);
    this.ewma.record(latencyMs, now);
  }

  /** A request (or tcp connection) that ended, and whether it failed. */
  recordOutcome(isError: boolean): void {
    this.requests += 1;
    this.errors += isError ? 1 : 0;
  }

  /** A request that never got a response (refused, reset): an error with no latency. */
  recordFailure(): void {
    this.requests += 1;
    this.errors += 1;
  }

  /** Rates over the `elapsedMs` since the last sample, and starts a new interval. */
  sample(elapsedMs: number): TBackendSample {
    const seconds = Math.max(elapsedMs, 1) / 1000;
    const sample = {
      requestsPerSecond: this.requests / seconds,
      errorsPerSecond: this.errors / seconds,
      latencyP50Ms: this.latency.quantile(0.5),
      latencyP99Ms: this.latency.quantile(0.99),
    };
    this.requests = 0;
    this.errors = 0;
    this.latency.reset();

    return sample;
  }
}
