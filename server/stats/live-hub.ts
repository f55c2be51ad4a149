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

/** Opens a container's engine stats stream (one JSON reading per line); aborts with `signal`. */
export type TStatsStreamOpener = (
  node: Node,
  containerId: string,
  signal: AbortSignal,
) => Promise<NodeJS.ReadableStream>;

export type TLiveStatsHubOptions = {
  log?: Logger;
  /** How streams are opened; the engine's stats stream through server/docker by default. */
  open?: TStatsStreamOpener;
  lingerMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
};

/** The engine's stats stream of the container, through one client per node. */
export function engineStatsOpener(): TStatsStreamOpener {
  const engines = new EngineCache(ENGINE_IDLE_TIMEOUT_MS);

  return (node, containerId, signal) => {
    const { docker, target } = engines.of(node);

    return streamContainerStats(docker, target, containerId, signal);
  };
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no listener behind. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) {
    return Promise.resolve();
  }

  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

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
  private readonly open: TStatsStreamOpener;
  private readonly log: Logger;
  private readonly lingerMs: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(options: TLiveStatsHubOptions = {}) {
    this.log = (options.log ?? logger()).child({ loop: "live-stats" });
    this.open = options.open ?? engineStatsOpener();
    this.lingerMs = options.lingerMs ?? LINGER_MS;
    this.retryMinMs = options.retryMinMs ?? RETRY_MIN_MS;
    this.retryMaxMs = options.retryMaxMs ?? RETRY_MAX_MS;
  }

  /** Streams open now (for tests and the benchmark). */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Subscribers of each open stream, by container id (for tests). */
  subscribers(): Map<string, number> {
    return new Map([...this.streams].map(([id, stream]) => [id, stream.listeners.size]));
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
    // A wrapper per subscriber: two passing one function still count as two.
    const own: TPointListener = (point) => listener(point);
    stream.listeners.add(own);
    const open = stream;

    return {
      recent: [...open.ring],
      unsubscribe: () => this.leave(open, own),
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
    stream.closeTimer = setTimeout(() => this.close(stream), this.lingerMs);
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
    let pauseMs = this.retryMinMs;
    while (!stream.abort.signal.aborted) {
      const hadPoints = await this.readStream(stream).catch((error: unknown) => {
        log.debug({ err: error }, "stats stream failed");

        return false;
      });
      pauseMs = hadPoints ? this.retryMinMs : Math.min(pauseMs * 2, this.retryMaxMs);
      // One listener per pause, removed when it ends: a stream that reconnects for days
      // does not pile listeners up on its signal.
      await pause(pauseMs, stream.abort.signal);
    }
  }

  private async readStream(stream: TStream): Promise<boolean> {
    const { signal } = stream.abort;
    const body = await this.open(stream.node, stream.containerId, signal);
    const lines = readline.createInterface({ input: body, crlfDelay: Infinity });
    const onAbort = () => (body as Readable).destroy();
    // Closed while the engine was still answering: the new stream is not wanted.
    if (signal.aborted) {
      onAbort();
    }
    signal.addEventListener("abort", onAbort, { once: true });
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
      // The engine connection goes with the read, however it ended.
      (body as Readable).destroy();
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
