/** What the gateway counts per backend between two stats writes. */
import { LatencyHistogram } from "./histogram";

export type TBackendSample = {
  requestsPerSecond: number;
  errorsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
};

/** How fast a backend's remembered latency fades: e-fold time while it gets no answers. */
export const LATENCY_DECAY_MS = 10_000;

/**
 * Peak EWMA of latency: a slower answer raises it at once, faster ones lower it gradually,
 * and it fades while the backend answers nothing, so an avoided backend is tried again.
 */
export class PeakEwma {
  private value: number | undefined;
  private updatedAt = 0;

  constructor(private readonly decayMs = LATENCY_DECAY_MS) {}

  record(latencyMs: number, now: number): void {
    const current = this.read(now);
    if (current === undefined || latencyMs > current) {
      this.value = latencyMs;
    } else {
      const weight = Math.exp(-(now - this.updatedAt) / this.decayMs);
      this.value = current * weight + latencyMs * (1 - weight);
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

  /** A finished request (or tcp connection), and whether it failed. */
  record(latencyMs: number, isError: boolean): void {
    this.requests += 1;
    this.errors += isError ? 1 : 0;
    this.latency.record(latencyMs);
    this.ewma.record(latencyMs, performance.now());
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
