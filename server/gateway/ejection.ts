/**
 * Passive ejection (outlier detection): a backend that fails FAILURES_TO_EJECT times in a
 * row (a refused connection, a reset before the response, a 5xx) is left out for a while;
 * each ejection that follows soon after the last one lasts twice as long, up to a cap. One
 * success resets the streak and the doubling. Pure apart from the injected clock.
 */

export const FAILURES_TO_EJECT = 3;
export const BASE_EJECTION_MS = 1000;
export const MAX_EJECTION_MS = 30_000;

export type TEjectionOptions = {
  failuresToEject?: number;
  baseMs?: number;
  maxMs?: number;
  now?: () => number;
};

type TRecord = { failures: number; ejections: number; until: number };

export class Ejector {
  private readonly records = new Map<string, TRecord>();
  private readonly failuresToEject: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;

  constructor(options: TEjectionOptions = {}) {
    this.failuresToEject = options.failuresToEject ?? FAILURES_TO_EJECT;
    this.baseMs = options.baseMs ?? BASE_EJECTION_MS;
    this.maxMs = options.maxMs ?? MAX_EJECTION_MS;
    this.now = options.now ?? Date.now;
  }

  /** A response below 500 (or a tcp connection that opened): the backend is well. */
  recordSuccess(id: string): void {
    const record = this.records.get(id);
    if (record && record.until <= this.now()) {
      this.records.delete(id);
    }
  }

  /** A failure; true when it ejects the backend now. */
  recordFailure(id: string): boolean {
    const now = this.now();
    const record = this.records.get(id) ?? { failures: 0, ejections: 0, until: 0 };
    this.records.set(id, record);
    if (record.until > now) {
      return false;
    }
    record.failures += 1;
    if (record.failures < this.failuresToEject) {
      return false;
    }
    const ms = Math.min(this.maxMs, this.baseMs * 2 ** record.ejections);
    record.ejections += 1;
    record.failures = 0;
    record.until = now + ms;

    return true;
  }

  isEjected(id: string): boolean {
    return (this.records.get(id)?.until ?? 0) > this.now();
  }

  /** When the backend returns, or undefined when it is not ejected. */
  ejectedUntil(id: string): number | undefined {
    const until = this.records.get(id)?.until ?? 0;

    return until > this.now() ? until : undefined;
  }

  /** Forgets backends that are gone, so the map stays the size of the route. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.records.keys()) {
      if (!ids.has(id)) {
        this.records.delete(id);
      }
    }
  }
}
