/**
 * The live tail of one replica, or of every running replica of an app merged in time order:
 * first the recent lines, then new lines as the engines write them. The set of replicas is
 * read again whenever the app changes, so replacements join the tail as they start.
 */
import { subscribeChanges } from "@/server/bus";
import type { PrismaClient } from "@/server/db/generated/client";

import { type LiveLogHub, type TAttachment, RECENT_LINES } from "./live-hub";
import { ReorderWindow, compareLines } from "./reorder";
import type { TLogLine } from "./schema";

/** How long merged lines are held so that lines of several replicas go out in time order. */
export const MERGE_WINDOW_MS = 100;
export const DEFAULT_TAIL_LINES = 200;
export { RECENT_LINES as MAX_TAIL_LINES };

export type TTailTarget = { appId: string; replicaId?: string };

export type TTailMessage = { kind: "recent" | "live"; lines: TLogLine[] };

/** Lines pushed by the streams, given out when their merge window has passed. */
class LineQueue {
  private readonly window: ReorderWindow;
  private wake: (() => void) | undefined;

  constructor(windowMs: number) {
    this.window = new ReorderWindow(windowMs);
  }

  push = (lines: TLogLine[]): void => {
    this.window.push(lines, Date.now());
    this.wake?.();
  };

  /** The next lines due; undefined once the signal aborts. */
  async next(signal: AbortSignal): Promise<TLogLine[] | undefined> {
    while (!signal.aborted) {
      const ready = this.window.take(Date.now());
      if (ready.length > 0) {
        return ready;
      }
      const dueAt = this.window.nextDueAt();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          this.wake = undefined;
          resolve();
        };
        const timer = dueAt === undefined ? undefined : setTimeout(done, dueAt - Date.now());
        this.wake = done;
        signal.addEventListener("abort", done, { once: true });
      });
    }

    return undefined;
  }
}

async function runningSources(db: PrismaClient, target: TTailTarget) {
  const rows = await db.replica.findMany({
    where: {
      appId: target.appId,
      ...(target.replicaId ? { id: target.replicaId } : {}),
      state: "running",
      containerId: { not: null },
      nodeId: { not: null },
    },
    select: { id: true, appId: true, slot: true, containerId: true, node: true },
  });

  return rows.flatMap((row) =>
    row.containerId && row.node
      ? [{ ...row, replicaId: row.id, containerId: row.containerId, node: row.node }]
      : [],
  );
}

/** The newest stored lines of the target, oldest first: for replicas no longer running. */
export async function storedTail(db: PrismaClient, target: TTailTarget, count: number) {
  const rows = await db.logLine.findMany({
    where: { appId: target.appId, ...(target.replicaId ? { replicaId: target.replicaId } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: count,
  });

  return rows.reverse().map((row): TLogLine => ({
    key: `db:${row.id}`,
    at: row.at,
    appId: row.appId,
    replicaId: row.replicaId,
    slot: row.slot,
    nodeName: row.nodeName,
    stream: row.stream,
    line: row.line,
  }));
}

/** Yields the recent lines, then live ones, until the signal aborts. */
export async function* tailLogs(
  db: PrismaClient,
  hub: LiveLogHub,
  target: TTailTarget,
  count: number,
  outerSignal: AbortSignal,
): AsyncGenerator<TTailMessage, void> {
  // Ends with the generator too (a caller that stops iterating), not only with the request.
  const local = new AbortController();
  const signal = local.signal;
  const stop = () => local.abort();
  outerSignal.addEventListener("abort", stop, { once: true });
  const queue = new LineQueue(target.replicaId ? 0 : MERGE_WINDOW_MS);
  const attached = new Map<string, TAttachment>();
  let recent: TLogLine[] = [];
  let hasStarted = false;

  const sync = async () => {
    const sources = await runningSources(db, target);
    const wanted = new Set(sources.map((source) => source.containerId));
    for (const [containerId, attachment] of attached) {
      if (!wanted.has(containerId)) {
        attachment.detach();
        attached.delete(containerId);
      }
    }
    for (const source of sources) {
      if (attached.has(source.containerId) || signal.aborted) {
        continue;
      }
      const attachment = await hub.attach(source, queue.push);
      if (signal.aborted) {
        attachment.detach();

        return;
      }
      attached.set(source.containerId, attachment);
      // A replica that joins later starts with its recent lines too, merged like live ones.
      if (hasStarted) {
        queue.push(attachment.recent.slice(-count));
      } else {
        recent = recent.concat(attachment.recent.slice(-count));
      }
    }
  };

  try {
    await sync();
    const first =
      attached.size > 0
        ? recent.sort(compareLines).slice(-count)
        : await storedTail(db, target, count);
    hasStarted = true;
    yield { kind: "recent", lines: first };
    void followChanges(target.appId, signal, sync);
    for (let lines = await queue.next(signal); lines; lines = await queue.next(signal)) {
      yield { kind: "live", lines };
    }
  } finally {
    outerSignal.removeEventListener("abort", stop);
    local.abort();
    for (const attachment of attached.values()) {
      attachment.detach();
    }
  }
}

/** Runs `sync` after each change of the app, one at a time, until the signal aborts. */
async function followChanges(appId: string, signal: AbortSignal, sync: () => Promise<void>) {
  for await (const change of subscribeChanges(signal)) {
    if (change.topic === "app" && change.appId === appId) {
      await sync().catch(() => undefined);
    }
  }
}
