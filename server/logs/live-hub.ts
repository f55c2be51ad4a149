/**
 * Live log streams for browsers (web role): one engine follow stream per container however
 * many viewers, counted by reference and closed shortly after the last viewer leaves. Each
 * stream keeps its most recent lines, so a new viewer starts with them and then gets the live
 * lines, with no second engine call.
 */
import type { Readable } from "node:stream";

import type Docker from "dockerode";
import type { Logger } from "pino";

import type { Node } from "@/server/db/generated/client";
import {
  type TLogStreamOptions,
  engineClient,
  isNoSuchContainer,
  openContainerLog,
} from "@/server/docker/engine";
import { logger } from "@/server/logger";
import { engineTargetOf } from "@/server/nodes/service";

import { LogDecoder, dateOf, sinceOf } from "./frames";
import type { TLogLine } from "./schema";

/** Lines each stream keeps for viewers who join later; also what it reads back on opening. */
export const RECENT_LINES = 500;
/** A stream nobody watches is closed after this long (a page reload keeps it). */
export const LINGER_MS = 5000;
/** A new viewer waits at most this long for a fresh stream's first lines. */
const PRIME_WAIT_MS = 300;
const BACKLOG_PAUSE_MS = 20;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;
const NO_IDLE_TIMEOUT = 0;

/** A replica's container, as a live stream reads it. */
export type TLiveSource = {
  containerId: string;
  appId: string;
  replicaId: string;
  slot: number;
  node: Node;
};

type TListener = (lines: TLogLine[]) => void;

/** Opens a container's log as multiplexed frames; the engine's follow stream by default. */
export type TLogStreamOpener = (
  source: TLiveSource,
  options: TLogStreamOptions,
) => Promise<NodeJS.ReadableStream>;

export type TLiveLogHubOptions = {
  open?: TLogStreamOpener;
  lingerMs?: number;
  log?: Logger;
};

/** The engine's log stream of the container, through one client per node. */
export function engineLogOpener(): TLogStreamOpener {
  const engines = new Map<string, { endpoint: string; docker: Docker }>();
  const dockerOf = (node: Node): Docker => {
    const cached = engines.get(node.id);
    if (cached?.endpoint === node.endpoint) {
      return cached.docker;
    }
    const docker = engineClient(engineTargetOf(node), NO_IDLE_TIMEOUT);
    engines.set(node.id, { endpoint: node.endpoint, docker });

    return docker;
  };

  return (source, options) =>
    openContainerLog(
      dockerOf(source.node),
      engineTargetOf(source.node),
      source.containerId,
      options,
    );
}

export type TAttachment = {
  /** The stream's recent lines at the time of joining, oldest first. */
  recent: TLogLine[];
  detach: () => void;
};

class Upstream {
  readonly listeners = new Set<TListener>();
  recent: TLogLine[] = [];
  private abort: AbortController | undefined;
  private lastNanos: bigint | undefined;
  private failures = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private primeTimer: NodeJS.Timeout | undefined;
  private isClosed = false;
  readonly primed: Promise<void>;
  private markPrimed: () => void = () => undefined;

  constructor(
    private readonly source: TLiveSource,
    private readonly openStream: TLogStreamOpener,
    private readonly lingerMs: number,
    private readonly log: Logger,
    private readonly onClosed: () => void,
  ) {
    this.primed = new Promise((resolve) => {
      this.markPrimed = resolve;
    });
    this.open();
  }

  add(listener: TListener): void {
    clearTimeout(this.lingerTimer);
    this.listeners.add(listener);
  }

  remove(listener: TListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = setTimeout(() => this.close(), this.lingerMs);
    }
  }

  close(): void {
    this.isClosed = true;
    clearTimeout(this.lingerTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.primeTimer);
    this.abort?.abort();
    this.markPrimed();
    this.onClosed();
  }

  private open(): void {
    const abort = new AbortController();
    this.abort = abort;
    this.read(abort.signal)
      .then(() => {
        this.failures = 0;
        this.retry();
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) {
          return;
        }
        if (isNoSuchContainer(error)) {
          this.close();

          return;
        }
        this.failures += 1;
        this.log.info({ err: error, failures: this.failures }, "live log stream failed");
        this.retry();
      })
      .finally(() => this.markPrimed());
  }

  /** The engine ends a stream when its container stops; while watched, it is opened again. */
  private retry(): void {
    if (this.isClosed || this.listeners.size === 0) {
      return;
    }
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private async read(signal: AbortSignal): Promise<void> {
    const { source } = this;
    const stream = await this.openStream(source, {
      isFollow: true,
      signal,
      ...(this.lastNanos === undefined
        ? { tail: RECENT_LINES }
        : { since: sinceOf(this.lastNanos + 1n) }),
    });
    const decoder = new LogDecoder();
    const prefix = source.containerId.slice(0, 12);
    // The hub closes its streams itself, whatever the opener does with the signal.
    const onAbort = () => (stream as Readable).destroy();
    if (signal.aborted) {
      onAbort();
    }
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      for await (const chunk of stream) {
        const raws = decoder.push(chunk as Buffer);
        if (raws.length === 0) {
          continue;
        }
        this.lastNanos = raws.at(-1)?.nanos;
        this.publish(
          raws.map((raw) => ({
            key: `${prefix}:${raw.key}`,
            at: dateOf(raw.nanos),
            appId: source.appId,
            replicaId: source.replicaId,
            slot: source.slot,
            nodeName: source.node.name,
            stream: raw.stream,
            line: raw.line,
          })),
        );
        // The backlog comes in a burst of chunks: primed once the burst pauses.
        clearTimeout(this.primeTimer);
        this.primeTimer = setTimeout(this.markPrimed, BACKLOG_PAUSE_MS);
      }
    } catch (error) {
      if (!signal.aborted) {
        throw error;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      (stream as Readable).destroy();
    }
  }

  private publish(lines: TLogLine[]): void {
    this.recent = this.recent.concat(lines).slice(-RECENT_LINES);
    for (const listener of this.listeners) {
      listener(lines);
    }
  }
}

/** The live streams of this process, one per container. */
export class LiveLogHub {
  private readonly upstreams = new Map<string, Upstream>();
  private readonly open: TLogStreamOpener;
  private readonly lingerMs: number;
  private readonly log: Logger;

  constructor(options: TLiveLogHubOptions = {}) {
    this.open = options.open ?? engineLogOpener();
    this.lingerMs = options.lingerMs ?? LINGER_MS;
    this.log = (options.log ?? logger()).child({ loop: "live-logs" });
  }

  /** Joins the container's stream (opening it if needed); `listener` gets each new batch. */
  async attach(source: TLiveSource, listener: TListener): Promise<TAttachment> {
    let upstream = this.upstreams.get(source.containerId);
    if (!upstream) {
      const created: Upstream = new Upstream(
        source,
        this.open,
        this.lingerMs,
        this.log.child({ replicaId: source.replicaId }),
        () => {
          if (this.upstreams.get(source.containerId) === created) {
            this.upstreams.delete(source.containerId);
          }
        },
      );
      upstream = created;
      this.upstreams.set(source.containerId, upstream);
    }
    // A wrapper per viewer: two viewers passing one function still count as two.
    const own: TListener = (lines) => listener(lines);
    upstream.add(own);
    await Promise.race([
      upstream.primed,
      new Promise((resolve) => setTimeout(resolve, PRIME_WAIT_MS)),
    ]);
    const joined = upstream;

    return { recent: joined.recent, detach: () => joined.remove(own) };
  }

  /** How many containers have an open stream and how many viewers each. */
  streams(): { containerId: string; viewers: number }[] {
    return [...this.upstreams].map(([containerId, upstream]) => ({
      containerId,
      viewers: upstream.listeners.size,
    }));
  }
}

const HUB_KEY = Symbol.for("berth.liveLogHub");
type TGlobalWithHub = typeof globalThis & { [HUB_KEY]?: LiveLogHub };

/** The hub of this process (kept across module reloads in development). */
export function liveLogHub(): LiveLogHub {
  const store = globalThis as TGlobalWithHub;
  store[HUB_KEY] ??= new LiveLogHub();

  return store[HUB_KEY];
}
