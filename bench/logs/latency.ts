/**
 * What the log latency benchmarks share: the container script that prints its own clock, the
 * latency of such a line, the engine's follow stream read directly (the baseline) and
 * `log.tail` read as server-sent events, the browser's transport.
 */
import superjson from "superjson";

import { type TEngineTarget, engineClient, openContainerLog } from "@/server/docker/engine";
import { LogDecoder } from "@/server/logs/frames";

const MAX_CONTAINER_LINES = 20_000;

/**
 * Prints "lat <seconds> <microseconds>" every interval, `MAX_CONTAINER_LINES` times. adjtimex
 * reads the clock; the rest is shell built-ins, so nothing runs between the reading and the
 * echo but its own exit.
 */
export function clockScript(intervalMs: number): string {
  return [
    "i=0",
    `while [ $i -lt ${MAX_CONTAINER_LINES} ]; do`,
    "  i=$((i+1))",
    "  out=$(adjtimex)",
    "  s=${out#*tv_sec:}; s=${s%%time.tv_usec*}",
    "  u=${out#*tv_usec:}; u=${u%%return*}",
    "  echo lat $s $u",
    `  usleep ${intervalMs * 1000}`,
    "done",
  ].join("\n");
}

/** The wall clock with sub-millisecond resolution, as `Date.now()` reads it. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** When a "lat s us" line was written, in ms; undefined for other lines. */
export function writtenAtMs(line: string): number | undefined {
  const match = /lat (\d+) (\d+)/.exec(line);
  if (!match) {
    return undefined;
  }

  return Number(match[1]) * 1000 + Number(match[2]) / 1000;
}

/** Latency in ms of a "lat s us" line that arrived at `arrivedMs`; undefined for others. */
export function latencyOf(line: string, arrivedMs: number): number | undefined {
  const written = writtenAtMs(line.trim());

  return written === undefined ? undefined : arrivedMs - written;
}

/** The p-th percentile (nearest rank) of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));

  return sorted[index] ?? Number.NaN;
}

/** Calls `onLatency` for each clock line of the container's engine follow stream. */
export async function readEngineLatencies(
  target: TEngineTarget,
  containerId: string,
  onLatency: (ms: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const stream = await openContainerLog(engineClient(target, 0), target, containerId, {
    isFollow: true,
    tail: 0,
    signal,
  });
  const decoder = new LogDecoder();
  try {
    for await (const chunk of stream) {
      const arrived = nowMs();
      for (const line of decoder.push(chunk as Buffer)) {
        const latency = latencyOf(line.line, arrived);
        if (latency !== undefined) {
          onLatency(latency);
        }
      }
    }
  } catch (error) {
    if (!signal.aborted) {
      throw error;
    }
  }
}

/**
 * Reads `log.tail` as server-sent events, as the browser does, until the signal aborts;
 * calls `onLatency` for each live clock line of replica `slot`.
 */
export async function readTailLatencies(
  trpcUrl: string,
  cookie: string,
  input: object,
  slot: number,
  onLatency: (ms: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const response = await fetch(`${trpcUrl}/log.tail?input=${query}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal,
  });
  if (!response.body) {
    throw new Error(`log.tail answered ${response.status} without a body`);
  }
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    const reader = response.body.getReader();
    // Ends when the signal aborts the request.
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const arrived = nowMs();
      buffered += decoder.decode(read.value, { stream: true });
      const events = buffered.split("\n\n");
      buffered = events.pop() ?? "";
      for (const event of events) {
        const data = event
          .split("\n")
          .filter((field) => field.startsWith("data: "))
          .map((field) => field.slice(6))
          .join("\n");
        if (!data.startsWith("{")) {
          continue;
        }
        const message = superjson.deserialize<{
          kind?: string;
          lines?: { slot: number; line: string }[];
        } | null>(JSON.parse(data) as Parameters<typeof superjson.deserialize>[0]);
        // The first event carries the connection settings, not a message.
        if (message?.kind !== "live") {
          continue;
        }
        for (const line of message.lines ?? []) {
          const latency = line.slot === slot ? latencyOf(line.line, arrived) : undefined;
          if (latency !== undefined) {
            onLatency(latency);
          }
        }
      }
    }
  } catch (error) {
    if (!signal.aborted) {
      throw error;
    }
  }
}
