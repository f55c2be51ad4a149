/**
 * The loops a controller runs while it leads, besides the node monitor and the reconciler:
 * each is started when leadership is won and stopped (and awaited) when it is lost.
 */
import type { Logger } from "pino";

import { AlertEvaluator } from "@/server/alerts/evaluator";
import { WebhookSender } from "@/server/alerts/sender";
import type { PrismaClient } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { HealthProber } from "@/server/health/prober";
import { LogCollector } from "@/server/logs/collector";
import { StatsCollector } from "@/server/stats/collector";

import { InventoryLoop } from "./inventory";

export type TLeaderContext = {
  db: PrismaClient;
  log: Logger;
  epoch: number;
  installationId: string;
  /** How often the inventory loop reads every node again; its default when left out. */
  inventoryIntervalMs?: number;
};

export type TLeaderLoop = { stop: () => Promise<void> };

type TStartLoop = (context: TLeaderContext) => TLeaderLoop;

function startInventoryLoop(context: TLeaderContext): TLeaderLoop {
  const { db, log, installationId, inventoryIntervalMs: intervalMs } = context;
  const loop = new InventoryLoop({ db, log, installationId, intervalMs });
  loop.start();

  return loop;
}

function startHealthProber({ db, log }: TLeaderContext): TLeaderLoop {
  const prober = new HealthProber({ db, log });
  prober.start();

  return prober;
}

function startAlertEvaluator({ db, log }: TLeaderContext): TLeaderLoop {
  const evaluator = new AlertEvaluator({ db, log });
  evaluator.start();

  return evaluator;
}

function startWebhookSender({ db, log }: TLeaderContext): TLeaderLoop {
  const sender = new WebhookSender({ db, log });
  sender.start();

  return sender;
}

function startLogCollector({ db, log }: TLeaderContext): TLeaderLoop {
  const collector = new LogCollector({ db, log });
  collector.start();

  return collector;
}

function startStatsCollector({ db, log }: TLeaderContext): TLeaderLoop {
  const collector = new StatsCollector({
    db,
    log,
    retentionDays: env().BERTH_STATS_RETENTION_DAYS,
  });
  collector.start();

  return collector;
}

/** Every leader loop, in start order. */
export const LEADER_LOOPS: readonly TStartLoop[] = [
  startInventoryLoop,
  startHealthProber,
  startAlertEvaluator,
  startWebhookSender,
  startLogCollector,
  startStatsCollector,
];

/** Starts every leader loop; a loop that fails to start is logged and the rest still run. */
export function startLeaderLoops(context: TLeaderContext): TLeaderLoop[] {
  return LEADER_LOOPS.flatMap((start) => {
    try {
      return [start(context)];
    } catch (error) {
      context.log.error({ err: error }, "a leader loop failed to start");

      return [];
    }
  });
}
