/**
 * The alert evaluator (a leader loop): every couple of seconds it reads the cluster's state,
 * decides with `evaluate` which alerts fire and which resolve, and writes each change with its
 * event and one webhook delivery per enabled webhook, in one transaction.
 */
import type { Logger } from "pino";

import { SYSTEM_ACTOR } from "@/server/auth/principal";
import { IntervalLoop } from "@/server/controller/interval-loop";
import type { PrismaClient } from "@/server/db/generated/client";
import { announceEvent, recordEvent } from "@/server/events/service";

import {
  type TFire,
  type TResolve,
  type TSnapshot,
  type TStatPoint,
  type TRuleInput,
  evaluate,
  SAMPLE_SECONDS,
} from "./evaluate";
import { seedDefaultRules } from "./rules";

export const EVALUATE_INTERVAL_MS = 2000;
/** Stats points read per pass at most, whatever the rules' windows: bounds a pass's memory. */
const MAX_STAT_POINTS = 50_000;

export type TAlertEvaluatorOptions = { db: PrismaClient; log: Logger; intervalMs?: number };

/** Reads what the rules look at; stats only when a CPU or memory rule needs them. */
export async function readSnapshot(
  db: PrismaClient,
  rules: TRuleInput[],
  now: number,
): Promise<TSnapshot> {
  const [nodes, replicas] = await Promise.all([
    db.node.findMany({ select: { id: true, name: true, health: true } }),
    db.replica.findMany({
      where: { app: { deleteRequestedAt: null } },
      include: { app: { select: { name: true } }, node: { select: { name: true } } },
    }),
  ]);
  const usageRules = rules.filter((r) => r.kind === "cpuAbove" || r.kind === "memoryAbove");
  const stats = new Map<string, TStatPoint[]>();
  if (usageRules.length > 0) {
    const windowSeconds = Math.max(...usageRules.map((rule) => rule.forSeconds), SAMPLE_SECONDS);
    const rows = await db.statSample.findMany({
      where: {
        resolution: SAMPLE_SECONDS,
        replicaId: { not: null },
        at: { gte: new Date(now - windowSeconds * 1000) },
      },
      orderBy: { at: "desc" },
      take: MAX_STAT_POINTS,
      select: {
        replicaId: true,
        at: true,
        cpuPercent: true,
        memoryBytes: true,
        memoryLimitBytes: true,
      },
    });
    for (const row of rows) {
      const points = stats.get(row.replicaId ?? "") ?? [];
      points.push({
        at: row.at,
        cpuPercent: row.cpuPercent,
        memoryBytes: Number(row.memoryBytes),
        memoryLimitBytes: Number(row.memoryLimitBytes),
      });
      stats.set(row.replicaId ?? "", points);
    }
  }

  return {
    nodes,
    replicas: replicas.map((replica) => ({
      ...replica,
      appName: replica.app.name,
      nodeName: replica.node?.name ?? null,
    })),
    stats,
  };
}

export class AlertEvaluator {
  private readonly log: Logger;
  private readonly loop: IntervalLoop;
  private pendingSince = new Map<string, number>();
  private isSeeded = false;

  constructor(private readonly options: TAlertEvaluatorOptions) {
    this.log = options.log.child({ loop: "alerts" });
    this.loop = new IntervalLoop({
      intervalMs: options.intervalMs ?? EVALUATE_INTERVAL_MS,
      pass: () => this.pass(),
      onError: (error) => this.log.warn({ err: error }, "alert evaluation failed"),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One evaluation: read, decide, write. */
  async pass(): Promise<void> {
    const { db } = this.options;
    if (!this.isSeeded) {
      if (await seedDefaultRules(db)) {
        this.log.info("default alert rules added");
      }
      this.isSeeded = true;
    }
    const now = Date.now();
    const rules = await db.alertRule.findMany({ where: { isEnabled: true } });
    const [snapshot, open] = await Promise.all([
      readSnapshot(db, rules, now),
      db.alert.findMany({
        where: { state: "firing" },
        select: { id: true, ruleId: true, subjectKey: true },
      }),
    ]);
    const decisions = evaluate({ rules, snapshot, open, pendingSince: this.pendingSince, now });
    this.pendingSince = decisions.pendingSince;
    for (const change of decisions.fire) {
      if (!this.loop.isStopped) {
        await this.fire(change);
      }
    }
    for (const change of decisions.resolve) {
      if (!this.loop.isStopped) {
        await this.resolve(change);
      }
    }
  }

  private async fire({ rule, subject }: TFire): Promise<void> {
    const { db } = this.options;
    const { alertId, eventId } = await db.$transaction(async (tx) => {
      const alert = await tx.alert.create({
        data: {
          ruleId: rule.id,
          subjectKey: subject.key,
          subjectName: subject.name,
          message: subject.message,
        },
        select: { id: true },
      });
      const eventId = await recordEvent(tx, {
        kind: "alert.fired",
        severity: rule.severity,
        message: `alert ${rule.name}: ${subject.message}`,
        actor: SYSTEM_ACTOR,
        nodeId: subject.nodeId,
        appId: subject.appId,
        data: { alertId: alert.id, ruleId: rule.id, subject: subject.key },
      });
      await queueDeliveries(tx, alert.id, "fired");

      return { alertId: alert.id, eventId };
    });
    this.log.info({ alertId, ruleId: rule.id, subject: subject.key }, "alert fired");
    await announceEvent(eventId);
  }

  private async resolve({ alert, reason }: TResolve): Promise<void> {
    const { db } = this.options;
    const eventId = await db.$transaction(async (tx) => {
      // Conditional, so an alert resolved meanwhile (a leader change) is not resolved twice.
      const { count } = await tx.alert.updateMany({
        where: { id: alert.id, state: "firing" },
        data: { state: "resolved", resolvedAt: new Date() },
      });
      if (count === 0) {
        return undefined;
      }
      const row = await tx.alert.findUniqueOrThrow({
        where: { id: alert.id },
        include: { rule: { select: { name: true } } },
      });
      const eventId = await recordEvent(tx, {
        kind: "alert.resolved",
        message: `alert ${row.rule.name} resolved (${reason}): ${row.message}`,
        actor: SYSTEM_ACTOR,
        data: { alertId: alert.id, ruleId: alert.ruleId, subject: alert.subjectKey },
      });
      await queueDeliveries(tx, alert.id, "resolved");

      return eventId;
    });
    if (eventId !== undefined) {
      this.log.info({ alertId: alert.id, reason }, "alert resolved");
      await announceEvent(eventId);
    }
  }
}

type TTx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** One pending delivery of this change per enabled webhook. */
async function queueDeliveries(
  tx: TTx,
  alertId: string,
  event: "fired" | "resolved",
): Promise<void> {
  const webhooks = await tx.webhook.findMany({ where: { isEnabled: true }, select: { id: true } });
  if (webhooks.length === 0) {
    return;
  }
  await tx.webhookDelivery.createMany({
    data: webhooks.map((webhook) => ({ webhookId: webhook.id, alertId, event })),
  });
}
