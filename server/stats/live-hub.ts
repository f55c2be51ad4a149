/**
 * Live stats (web role): one engine stats stream per container, however many viewers watch
 * it. Streams are reference counted: opened by the first subscriber, closed a few seconds
 * after the last one leaves (a page reload keeps its stream). Each stream keeps its last two
 * minutes of 1 s points, so a new viewer first gets the recent past and its chart continues
 * the stored history without a gap.
 */
import readline from "node:readline";
import type { Readable } from "node:stream";

import type { Logger } from "pino";

import type { Node } from "@/server/db/generated/client";
import { streamContainerStats } from "@/server/docker/engine";
import { logger } from "@/server/logger";

import { EngineCache } from "./engines";
import { type TReading, ZEngineStats, pointOf, readingOf } from "./maths";
import type { TStatPoint } from "./schema";

/** How long a stream stays open after its last subscriber left. */
export const LINGER_MS = 5000;
/** How much of the recent past each stream keeps for new subscribers. */
export const RING_MS = 120_000;
/** Bound on the ring in points, whatever the engine's pace. */
const RING_MAX_POINTS = 180;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 8000;
/** Idle time after which the engine connection counts as dead (frames come every second). */
const ENGINE_IDLE_TIMEOUT_MS = 10_000;

export type TPointListener = (point: TStatPoint) => void;

type TStream = {
  containerId: string;
  node: Node;
  listeners: Set<TPointListener>;
  ring: TStatPoint[];
  abort: AbortController;
  closeTimer: NodeJS.Timeout | undefined;
};

function jsonOf(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** Appends `point`, dropping points older than RING_MS before it and beyond the cap. */
export function pushToRing(ring: TStatPoint[], point: TStatPoint): void {
  ring.push(point);
  const oldest = point.at.getTime() - RING_MS;
  while (ring.length > RING_MAX_POINTS || (ring[0] && ring[0].at.getTime() < oldest)) {
    ring.shift();
  }
}

export class LiveStatsHub {
  private readonly streams = new Map<string, TStream>();
  private readonly engines = new EngineCache(ENGINE_IDLE_TIMEOUT_MS);
  private readonly log: Logger;

  constructor(log: Logger = logger()) {
    this.log = log.child({ loop: "live-stats" });
  }

  /** Streams open now (for tests and the benchmark). */
  get openStreams(): number {
    return this.streams.size;
  }

  /**
   * Calls `listener` with each new point of the container; gives the points of the last two
   * minutes at once, and a function that unsubscribes.
   */
  subscribe(node: Node, containerId: string, listener: TPointListener) {
    let stream = this.streams.get(containerId);
    if (!stream) {
      stream = {
        containerId,
        node,
        listeners: new Set(),
        ring: [],
        abort: new AbortController(),
        closeTimer: undefined,
      };
      this.streams.set(containerId, stream);
      void this.run(stream);
    }
    clearTimeout(stream.closeTimer);
    stream.closeTimer = undefined;
    stream.listeners.add(listener);
    const open = stream;

    return {
      recent: [...open.ring],
      unsubscribe: () => this.leave(open, listener),
    };
  }

  /** The newest point of a container whose stream is open, if it has one. */
  latest(containerId: string): TStatPoint | undefined {
    return this.streams.get(containerId)?.ring.at(-1);
  }

  /** Closes every stream now (process shutdown, tests). */
  closeAll(): void {
    for (const stream of this.streams.values()) {
      this.close(stream);
    }
  }

  private leave(stream: TStream, listener: TPointListener): void {
    stream.listeners.delete(listener);
    if (stream.listeners.size > 0 || stream.closeTimer) {
      return;
    }
    stream.closeTimer = setTimeout(() => this.close(stream), LINGER_MS);
  }

  private close(stream: TStream): void {
    clearTimeout(stream.closeTimer);
    stream.abort.abort();
    if (this.streams.get(stream.containerId) === stream) {
      this.streams.delete(stream.containerId);
    }
  }

  /** Reads the engine's stream until closed; reconnects with a growing pause when it breaks. */
  private async run(stream: TStream): Promise<void> {
    const log = this.log.child({ nodeId: stream.node.id, containerId: stream.containerId });
    let pauseMs = RETRY_MIN_MS;
    while (!stream.abort.signal.aborted) {
      const hadPoints = await this.readStream(stream).catch((error: unknown) => {
        log.debug({ err: error }, "stats stream failed");

        return false;
      });
      pauseMs = hadPoints ? RETRY_MIN_MS : Math.min(pauseMs * 2, RETRY_MAX_MS);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, pauseMs);
        stream.abort.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
  }

  private async readStream(stream: TStream): Promise<boolean> {
    const { docker, target } = this.engines.of(stream.node);
    const { signal } = stream.abort;
    const body = await streamContainerStats(docker, target, stream.containerId, signal);
    const lines = readline.createInterface({ input: body, crlfDelay: Infinity });
    const onAbort = () => (body as Readable).destroy();
    signal.addEventListener("abort", onAbort);
    let before: TReading | undefined;
    let hadPoints = false;
    try {
      for await (const line of lines) {
        const parsed = ZEngineStats.safeParse(jsonOf(line));
        if (!parsed?.success) {
          continue;
        }
        const reading = readingOf(parsed.data);
        const hasBasis = before !== undefined || parsed.data.precpu_stats.system_cpu_usage > 0;
        if (hasBasis && reading.atMs > 0) {
          this.emit(stream, pointOf(reading, before, parsed.data.precpu_stats));
          hadPoints = true;
        }
        before = reading;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      lines.close();
    }

    return hadPoints;
  }

  private emit(stream: TStream, point: TStatPoint): void {
    pushToRing(stream.ring, point);
    for (const listener of stream.listeners) {
      listener(point);
    }
  }
}

const HUB_KEY = Symbol.for("berth.stats.hub");
type TGlobalWithHub = typeof globalThis & { [HUB_KEY]?: LiveStatsHub };

/** The process-wide hub: every live stats subscription in this process shares its streams. */
export function liveStatsHub(): LiveStatsHub {
  const store = globalThis as TGlobalWithHub;
  store[HUB_KEY] ??= new LiveStatsHub();

  return store[HUB_KEY];
}
