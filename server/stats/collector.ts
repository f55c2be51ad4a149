/**
 * The stats collector (controller role, leader only): every 10 s it reads each running
 * replica's container once and writes one StatSample row per container, all rows of a round in
 * one insert. Every few minutes it rolls old samples up and drops expired ones.
 *
 * Readings are the engine's one-shot stats (no wait for a second reading inside the engine).
 * CPU and the byte rates come from this reading and the collector's previous one of the same
 * container, so each row is the mean over its 10 s, not a 1 s glimpse. A container's first
 * reading only primes it: its row is written from the second round on.
 */
import { setMaxListeners } from "node:events";

import type { Logger } from "pino";

import type { Node, Prisma, PrismaClient } from "@/server/db/generated/client";
import { readContainerStats } from "@/server/docker/engine";

import { EngineCache, forEachBounded } from "./engines";
import { type TReading, ZEngineStats, bucketOf, pointOf, readingOf } from "./maths";
import { SAMPLE_RESOLUTION_SEC, rollUpStats } from "./rollup";

export const SAMPLE_INTERVAL_MS = SAMPLE_RESOLUTION_SEC * 1000;
const ROLLUP_INTERVAL_MS = 5 * 60 * 1000;
/**
 * Readings in flight on one engine. Docker's stats collector reads every subscribed container
 * once a second, together; a one-shot request made while it is active waits for its next
 * tick (up to 1 s, measured on Docker 20.10). So a node's readings go out together, to be
 * served by one or two ticks: with 8 at a time, 33 containers took five ticks, and a round
 * of 100 containers on three nodes ran past NODE_TIME_LIMIT_MS (bench/stats/run.ts, (d)).
 */
export const MAX_IN_FLIGHT_PER_NODE = 64;
/** A node's readings not back within this are skipped this round; the others still count. */
const NODE_TIME_LIMIT_MS = 5000;
const ENGINE_TIMEOUT_MS = 5000;

export type TStatsCollectorOptions = {
  db: PrismaClient;
  log: Logger;
  retentionDays: number;
  intervalMs?: number;
};

type TTarget = {
  replicaId: string;
  appId: string;
  node: Node;
  containerId: string;
};

type TRow = Prisma.StatSampleCreateManyInput;

export class StatsCollector {
  private readonly log: Logger;
  private readonly engines = new EngineCache(ENGINE_TIMEOUT_MS);
  /** The previous reading of each container sampled last round. */
  private previous = new Map<string, TReading>();
  private sampleTimer: NodeJS.Timeout | undefined;
  private rollupTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rolling: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly options: TStatsCollectorOptions) {
    this.log = options.log.child({ loop: "stats" });
  }

  start(): void {
    const interval = this.options.intervalMs ?? SAMPLE_INTERVAL_MS;
    this.sampleTimer = setInterval(() => this.roundOnce(), interval);
    this.rollupTimer = setInterval(() => this.rollUpOnce(), ROLLUP_INTERVAL_MS);
    this.roundOnce();
    this.rollUpOnce();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.sampleTimer);
    clearInterval(this.rollupTimer);
    await Promise.allSettled([this.running, this.rolling]);
  }

  private roundOnce(): void {
    // A round still running when the next is due (a slow database) makes the next one skip.
    if (this.abort.signal.aborted || this.running) {
      return;
    }
    this.running = this.round()
      .then(() => undefined)
      .catch((error: unknown) => this.log.warn({ err: error }, "stats round failed"))
      .finally(() => {
        this.running = undefined;
      });
  }

  private rollUpOnce(): void {
    if (this.abort.signal.aborted || this.rolling) {
      return;
    }
    this.rolling = rollUpStats(this.options.db, new Date(), this.options.retentionDays)
      .then((result) => this.log.debug(result, "stats rolled up"))
      .catch((error: unknown) => this.log.warn({ err: error }, "stats roll-up failed"))
      .finally(() => {
        this.rolling = undefined;
      });
  }

  /** One round: read every running replica's container, write the rows in one insert. */
  async round(): Promise<number> {
    const at = bucketOf(new Date(), SAMPLE_RESOLUTION_SEC);
    const targets = await this.targets();
    const byNode = new Map<string, TTarget[]>();
    for (const target of targets) {
      byNode.set(target.node.id, [...(byNode.get(target.node.id) ?? []), target]);
    }
    const readings = new Map<string, TReading>();
    const rows: TRow[] = [];
    await Promise.all(
      [...byNode.values()].map((group) =>
        this.readNode(group, (target, reading) => {
          readings.set(target.containerId, reading);
          const before = this.previous.get(target.containerId);
          if (!before || before.atMs >= reading.atMs) {
            return;
          }
          rows.push(this.rowOf(target, at, pointOf(reading, before)));
        }),
      ),
    );
    // Containers gone since last round are forgotten here, so the map never outgrows a round.
    this.previous = readings;
    if (rows.length > 0 && !this.abort.signal.aborted) {
      await this.options.db.statSample.createMany({ data: rows });
    }
    this.log.debug({ containers: targets.length, rows: rows.length }, "stats round");

    return rows.length;
  }

  private async targets(): Promise<TTarget[]> {
    const replicas = await this.options.db.replica.findMany({
      where: { state: "running", containerId: { not: null }, node: { health: "ready" } },
      include: { node: true },
    });

    return replicas.flatMap((replica) =>
      replica.node && replica.containerId
        ? [
            {
              replicaId: replica.id,
              appId: replica.appId,
              node: replica.node,
              containerId: replica.containerId,
            },
          ]
        : [],
    );
  }

  private async readNode(
    group: TTarget[],
    onReading: (target: TTarget, reading: TReading) => void,
  ): Promise<void> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(NODE_TIME_LIMIT_MS)]);
    // Each reading in flight listens on it until its answer: that many listeners is expected.
    setMaxListeners(MAX_IN_FLIGHT_PER_NODE + 1, signal);
    await forEachBounded(group, MAX_IN_FLIGHT_PER_NODE, async (target) => {
      if (signal.aborted) {
        return;
      }
      const { docker, target: engine } = this.engines.of(target.node);
      try {
        const raw = await readContainerStats(docker, engine, target.containerId, signal);
        const parsed = ZEngineStats.safeParse(raw);
        if (parsed.success) {
          onReading(target, readingOf(parsed.data));
        }
      } catch (error) {
        this.log.debug(
          { err: error, nodeId: target.node.id, replicaId: target.replicaId },
          "stats reading failed",
        );
      }
    });
  }

  private rowOf(target: TTarget, at: Date, point: ReturnType<typeof pointOf>): TRow {
    return {
      at,
      resolution: SAMPLE_RESOLUTION_SEC,
      appId: target.appId,
      replicaId: target.replicaId,
      nodeId: target.node.id,
      containerId: target.containerId,
      cpuPercent: point.cpuPercent,
      memoryBytes: BigInt(Math.round(point.memoryBytes)),
      memoryLimitBytes: BigInt(Math.round(point.memoryLimitBytes)),
      netRxBps: point.netRxBps,
      netTxBps: point.netTxBps,
      blockReadBps: point.blockReadBps,
      blockWriteBps: point.blockWriteBps,
    };
  }
}
