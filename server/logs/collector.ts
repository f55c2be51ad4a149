/**
 * The log collector (controller role, while leading): follows the log of every replica
 * container and stores its lines, in batches, with a cursor per container so that a restarted
 * collector neither repeats nor skips lines. Stored lines outlive their containers: the last
 * words of a crashed and removed replica can still be searched.
 *
 * The containers to follow are read from the database every refresh. A container's stream
 * ends when it stops; it is opened again (from just after its last line) while its replica
 * runs, with a growing delay after failures. Retention runs on its own, slower timer.
 */
import type Docker from "dockerode";
import type { Logger } from "pino";

import type { Node, Prisma, PrismaClient } from "@/server/db/generated/client";
import {
  type TEngineTarget,
  engineClient,
  isNoSuchContainer,
  openContainerLog,
} from "@/server/docker/engine";
import { engineTargetOf } from "@/server/nodes/service";

import { LogDecoder, type TRawLogLine, dateOf, nanosOfDate, sinceOf } from "./frames";
import { applyLogRetention } from "./retention";

const REFRESH_MS = 1000;
const FLUSH_MS = 250;
const BATCH_LINES = 500;
/**
 * Lines held while the database cannot take them (a failed or a hanging write); beyond this
 * the oldest are dropped as new ones come, so memory stays bounded however long it takes.
 */
export const MAX_PENDING_LINES = 50_000;
/** Dropped lines are reported at most this often, with the count since the last report. */
const DROP_REPORT_MS = 10_000;
const RETENTION_MS = 60_000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** A followed container that no replica names any more is let go after this long. */
const MISSING_GRACE_MS = 5000;
/** No idle timeout on follow streams: a quiet container is not a failed one. */
const NO_IDLE_TIMEOUT = 0;

export type TLogCollectorOptions = {
  db: PrismaClient;
  log: Logger;
  refreshMs?: number;
  flushMs?: number;
  retentionMs?: number;
  maxPendingLines?: number;
};

type TSource = {
  containerId: string;
  replicaId: string;
  appId: string;
  slot: number;
  node: Node;
};

type TFollowed = {
  source: TSource;
  abort?: AbortController;
  running?: Promise<void>;
  hasOpened: boolean;
  /** The newest line seen, so the next open starts just after it. */
  lastNanos?: bigint;
  /** After a resume from a stored cursor: lines of the cursor's millisecond already stored. */
  skip?: { ms: number; counts: Map<string, number> };
  failures: number;
  retryAt: number;
  missingSince?: number;
  isGone: boolean;
};

function skipKey(stream: string, line: string): string {
  return `${stream}\u0000${line}`;
}

export class LogCollector {
  private readonly log: Logger;
  private readonly followed = new Map<string, TFollowed>();
  private readonly engines = new Map<string, { endpoint: string; docker: Docker }>();
  private pending: Prisma.LogLineCreateManyInput[] = [];
  private timers: NodeJS.Timeout[] = [];
  private refreshing: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private retaining: Promise<void> | undefined;
  private isStopped = false;
  private readonly maxPending: number;
  private droppedSinceReport = 0;
  private lastDropReportAt = 0;

  constructor(private readonly options: TLogCollectorOptions) {
    this.log = options.log.child({ loop: "logs" });
    this.maxPending = options.maxPendingLines ?? MAX_PENDING_LINES;
  }

  /** Lines read but not yet written (for tests). */
  get pendingLines(): number {
    return this.pending.length;
  }

  start(): void {
    const { refreshMs = REFRESH_MS, flushMs = FLUSH_MS, retentionMs = RETENTION_MS } = this.options;
    this.timers = [
      setInterval(() => this.refreshOnce(), refreshMs),
      setInterval(() => this.flushOnce(), flushMs),
      setInterval(() => this.retainOnce(), retentionMs),
    ];
    this.refreshOnce();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.timers.forEach(clearInterval);
    await this.refreshing;
    for (const followed of this.followed.values()) {
      followed.abort?.abort();
    }
    const running = [...this.followed.values()].flatMap((followed) =>
      followed.running ? [followed.running] : [],
    );
    await Promise.allSettled(running);
    await this.retaining;
    await this.flushing;
    // What the followers read last is written before leadership is given up.
    await this.flush().catch((error: unknown) =>
      this.log.warn({ err: error, lines: this.pending.length }, "last log write failed"),
    );
  }

  // -- 1. which containers to follow -----------------------------------------------------------

  private refreshOnce(): void {
    if (this.isStopped || this.refreshing) {
      return;
    }
    this.refreshing = this.refresh()
      .catch((error: unknown) => this.log.warn({ err: error }, "log refresh failed"))
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  private async refresh(): Promise<void> {
    const rows = await this.options.db.replica.findMany({
      where: { containerId: { not: null }, nodeId: { not: null } },
      select: { id: true, appId: true, slot: true, containerId: true, state: true, node: true },
    });
    const now = Date.now();
    const seen = new Set<string>();
    for (const row of rows) {
      if (!row.containerId || !row.node) {
        continue;
      }
      seen.add(row.containerId);
      const source = { ...row, containerId: row.containerId, node: row.node, replicaId: row.id };
      const followed = this.followed.get(row.containerId) ?? this.track(source);
      followed.source = source;
      followed.missingSince = undefined;
      // A stopped container is read once to its end; a running one is followed again when its
      // stream ends, since the engine ends streams on restarts too.
      const isWanted = !followed.hasOpened || row.state === "running";
      if (!followed.running && isWanted && !followed.isGone && now >= followed.retryAt) {
        this.follow(followed);
      }
    }
    for (const [containerId, followed] of this.followed) {
      if (seen.has(containerId)) {
        continue;
      }
      followed.missingSince ??= now;
      if (!followed.running) {
        this.followed.delete(containerId);
      } else if (now - followed.missingSince > MISSING_GRACE_MS) {
        followed.abort?.abort();
      }
    }
  }

  private track(source: TSource): TFollowed {
    const followed: TFollowed = {
      source,
      hasOpened: false,
      failures: 0,
      retryAt: 0,
      isGone: false,
    };
    this.followed.set(source.containerId, followed);

    return followed;
  }

  private engineOf(node: Node): { docker: Docker; target: TEngineTarget } {
    const target = engineTargetOf(node);
    const cached = this.engines.get(node.id);
    if (cached?.endpoint === node.endpoint) {
      return { docker: cached.docker, target };
    }
    const docker = engineClient(target, NO_IDLE_TIMEOUT);
    this.engines.set(node.id, { endpoint: node.endpoint, docker });

    return { docker, target };
  }

  // -- 2. following one container --------------------------------------------------------------

  private follow(followed: TFollowed): void {
    const abort = new AbortController();
    followed.abort = abort;
    followed.hasOpened = true;
    const log = this.log.child({
      replicaId: followed.source.replicaId,
      containerId: followed.source.containerId.slice(0, 12),
    });
    followed.running = this.read(followed, abort.signal)
      .then(() => {
        followed.failures = 0;
        followed.retryAt = Date.now() + RETRY_MIN_MS;
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) {
          return;
        }
        if (isNoSuchContainer(error)) {
          followed.isGone = true;

          return;
        }
        followed.failures += 1;
        followed.retryAt =
          Date.now() + Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** followed.failures);
        log.warn({ err: error, failures: followed.failures }, "log follow failed");
      })
      .finally(() => {
        followed.running = undefined;
        followed.abort = undefined;
      });
  }

  /** Where to start: after the last line seen here, or at the stored cursor. */
  private async sinceOf(followed: TFollowed): Promise<string | undefined> {
    if (followed.lastNanos !== undefined) {
      return sinceOf(followed.lastNanos + 1n);
    }
    const { db } = this.options;
    const { containerId } = followed.source;
    const cursor = await db.logCursor.findUnique({ where: { containerId } });
    if (!cursor) {
      return undefined;
    }
    // Stored times keep milliseconds: lines of the cursor's millisecond come again and are
    // matched against those already stored.
    const stored = await db.logLine.findMany({
      where: { containerId, at: cursor.at },
      select: { stream: true, line: true },
    });
    const counts = new Map<string, number>();
    for (const row of stored) {
      const key = skipKey(row.stream, row.line);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    followed.skip = { ms: cursor.at.getTime(), counts };

    return sinceOf(nanosOfDate(cursor.at));
  }

  private async read(followed: TFollowed, signal: AbortSignal): Promise<void> {
    const since = await this.sinceOf(followed);
    const { docker, target } = this.engineOf(followed.source.node);
    const stream = await openContainerLog(docker, target, followed.source.containerId, {
      isFollow: true,
      since,
      signal,
    });
    const decoder = new LogDecoder();
    try {
      for await (const chunk of stream) {
        for (const line of decoder.push(chunk as Buffer)) {
          this.accept(followed, line);
        }
      }
    } catch (error) {
      if (!signal.aborted) {
        throw error;
      }
    }
    for (const line of decoder.flush()) {
      this.accept(followed, line);
    }
  }

  private isAlreadyStored(followed: TFollowed, raw: TRawLogLine, at: Date): boolean {
    const skip = followed.skip;
    if (!skip) {
      return false;
    }
    if (at.getTime() > skip.ms) {
      followed.skip = undefined;

      return false;
    }
    const key = skipKey(raw.stream, raw.line);
    const count = skip.counts.get(key) ?? 0;
    if (count === 0) {
      return false;
    }
    skip.counts.set(key, count - 1);

    return true;
  }

  private accept(followed: TFollowed, raw: TRawLogLine): void {
    const at = dateOf(raw.nanos);
    if (this.isAlreadyStored(followed, raw, at)) {
      return;
    }
    followed.lastNanos = raw.nanos;
    const { source } = followed;
    this.pending.push({
      at,
      appId: source.appId,
      replicaId: source.replicaId,
      slot: source.slot,
      nodeId: source.node.id,
      nodeName: source.node.name,
      containerId: source.containerId,
      stream: raw.stream,
      line: raw.line,
    });
    // Bounded here, not only after a failed write: a write that hangs never fails.
    if (this.pending.length > this.maxPending) {
      this.dropOverflow();
    }
    if (this.pending.length >= BATCH_LINES) {
      this.flushOnce();
    }
  }

  // -- 3. writing batches ----------------------------------------------------------------------

  private flushOnce(): void {
    if (this.flushing || this.pending.length === 0) {
      return;
    }
    this.flushing = this.flush()
      .catch((error: unknown) =>
        this.log.warn({ err: error, lines: this.pending.length }, "log write failed"),
      )
      .finally(() => {
        this.flushing = undefined;
      });
  }

  /** Writes the pending lines and each container's cursor in one transaction. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, BATCH_LINES * 4);
      const cursors = new Map<string, Date>();
      for (const line of batch) {
        cursors.set(line.containerId, line.at as Date);
      }
      const { db } = this.options;
      try {
        await db.$transaction([
          db.logLine.createMany({ data: batch }),
          ...[...cursors].map(([containerId, at]) =>
            db.logCursor.upsert({
              where: { containerId },
              create: { containerId, at },
              update: { at },
            }),
          ),
        ]);
      } catch (error) {
        this.pending = batch.concat(this.pending);
        this.dropOverflow();
        throw error;
      }
    }
  }

  /**
   * Drops the oldest lines beyond the cap, and a batch more, so that a flood does not move
   * the whole array for every new line.
   */
  private dropOverflow(): void {
    const excess = this.pending.length - this.maxPending;
    if (excess <= 0) {
      return;
    }
    const slack = Math.min(BATCH_LINES, Math.floor(this.maxPending / 10));
    const dropped = Math.min(this.pending.length, excess + slack);
    this.pending.splice(0, dropped);
    this.droppedSinceReport += dropped;
    const now = Date.now();
    if (now - this.lastDropReportAt >= DROP_REPORT_MS) {
      this.log.warn(
        { dropped: this.droppedSinceReport, held: this.pending.length },
        "dropped log lines the database could not take",
      );
      this.lastDropReportAt = now;
      this.droppedSinceReport = 0;
    }
  }

  // -- 4. retention ----------------------------------------------------------------------------

  private retainOnce(): void {
    if (this.isStopped || this.retaining) {
      return;
    }
    this.retaining = applyLogRetention(this.options.db)
      .then((result) => {
        if (result.byAge + result.bySize + result.orphaned > 0) {
          this.log.info(result, "old log lines deleted");
        }
      })
      .catch((error: unknown) => this.log.warn({ err: error }, "log retention failed"))
      .finally(() => {
        this.retaining = undefined;
      });
  }
}
