/**
 * A small HTTP load generator over node:http keep-alive agents.
 *
 * Open loop: requests start on a fixed schedule whatever the answers do, and each latency is
 * measured from the time the request was due, not from when it was sent, so a target that
 * falls behind is charged for the queue it causes (no coordinated omission). Closed loop: a
 * fixed number of clients each send the next request when the last one is answered, to find
 * a target's maximum rate.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";

/** Sockets the generator may open to one target; requests beyond them wait in the agent. */
export const MAX_SOCKETS = 64;
const REQUEST_TIMEOUT_MS = 5000;
/** How often the open-loop scheduler wakes up to start the requests that are due. */
const TICK_MS = 1;

export type TLoadResult = {
  sent: number;
  ok: number;
  errors: number;
  seconds: number;
  /** Answered requests (2xx) per second over the run. */
  achievedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers per container host (the demo image names its container). */
  hosts: Map<string, number>;
};

export type TRequestOptions = { path?: string; headers?: () => http.OutgoingHttpHeaders };

/** The q-quantile of sorted values (nearest rank); NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.max(1, Math.ceil(q * sorted.length));

  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

class Recorder {
  private latencies = new Float64Array(1024);
  private count = 0;
  sent = 0;
  ok = 0;
  errors = 0;
  readonly hosts = new Map<string, number>();

  record(latencyMs: number, host: string | undefined): void {
    if (host === undefined) {
      this.errors += 1;

      return;
    }
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count] = latencyMs;
    this.count += 1;
    this.ok += 1;
    this.hosts.set(host, (this.hosts.get(host) ?? 0) + 1);
  }

  result(seconds: number): TLoadResult {
    const sorted = this.latencies.slice(0, this.count).sort();

    return {
      sent: this.sent,
      ok: this.ok,
      errors: this.errors,
      seconds,
      achievedPerSecond: this.ok / seconds,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      hosts: this.hosts,
    };
  }
}

/** One GET; resolves with the host the answer names, or undefined for any failure. */
function requestOnce(
  url: URL,
  agent: http.Agent,
  options: TRequestOptions,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: url.hostname,
        port: url.port,
        path: options.path ?? "/",
        agent,
        headers: options.headers?.(),
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          if (res.statusCode !== 200) {
            resolve(undefined);

            return;
          }
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString()) as { host?: string };
            resolve(body.host ?? "");
          } catch {
            resolve(undefined);
          }
        });
        res.on("error", () => resolve(undefined));
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", () => resolve(undefined));
  });
}

function newAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS });
}

/** Sends `perSecond` requests a second for `seconds`, on schedule, and waits for the answers. */
export async function openLoop(
  target: string,
  perSecond: number,
  seconds: number,
  options: TRequestOptions = {},
): Promise<TLoadResult> {
  const url = new URL(target);
  const agent = newAgent();
  const recorder = new Recorder();
  const total = Math.round(perSecond * seconds);
  const intervalMs = 1000 / perSecond;
  const startedAt = performance.now();
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const dueCount = Math.min(
        total,
        Math.floor((performance.now() - startedAt) / intervalMs) + 1,
      );
      while (recorder.sent < dueCount) {
        const dueAt = startedAt + recorder.sent * intervalMs;
        recorder.sent += 1;
        pending.push(
          requestOnce(url, agent, options).then((host) => {
            recorder.record(performance.now() - dueAt, host);
          }),
        );
      }
      if (recorder.sent >= total) {
        resolve();

        return;
      }
      setTimeout(tick, TICK_MS);
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - startedAt) / 1000;
  agent.destroy();

  return recorder.result(Math.max(seconds, elapsed));
}

/** `clients` requests in flight at all times for `seconds`: the target's maximum rate. */
export async function closedLoop(
  target: string,
  clients: number,
  seconds: number,
  options: TRequestOptions = {},
): Promise<TLoadResult> {
  const url = new URL(target);
  const agent = newAgent();
  const recorder = new Recorder();
  const startedAt = performance.now();
  const endAt = startedAt + seconds * 1000;
  const client = async () => {
    while (performance.now() < endAt) {
      const sentAt = performance.now();
      recorder.sent += 1;
      const host = await requestOnce(url, agent, options);
      recorder.record(performance.now() - sentAt, host);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const elapsed = (performance.now() - startedAt) / 1000;
  agent.destroy();

  return recorder.result(elapsed);
}

/** Sends `count` requests with `clients` in flight, for spreading counts (no timing). */
export async function countHosts(
  target: string,
  count: number,
  clients: number,
  options: TRequestOptions = {},
): Promise<TLoadResult> {
  const url = new URL(target);
  const agent = newAgent();
  const recorder = new Recorder();
  const startedAt = performance.now();
  const client = async () => {
    while (recorder.sent < count) {
      recorder.sent += 1;
      const sentAt = performance.now();
      const host = await requestOnce(url, agent, options);
      recorder.record(performance.now() - sentAt, host);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();

  return recorder.result((performance.now() - startedAt) / 1000);
}
