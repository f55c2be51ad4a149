/** Alerts as people see them: the list (firing first), the badge count, acknowledging. */
import type { TActor } from "@/server/auth/principal";
import type { Alert, AlertRule, PrismaClient } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";

import type { TAlertEvent, TAlertFacts } from "./payload";
import type { TAlertFilter, TAlertView } from "./schema";

/** What a webhook says about `alert` for one of its changes. */
export function factsOf(alert: Alert & { rule: AlertRule }, event: TAlertEvent): TAlertFacts {
  const isResolved = event === "resolved";

  return {
    id: alert.id,
    ruleId: alert.ruleId,
    ruleName: alert.rule.name,
    kind: alert.rule.kind,
    severity: alert.rule.severity,
    state: isResolved ? "resolved" : "firing",
    subjectKey: alert.subjectKey,
    subjectName: alert.subjectName,
    message: alert.message,
    firedAt: alert.firedAt,
    resolvedAt: isResolved ? alert.resolvedAt : null,
    acknowledgedAt: alert.acknowledgedAt,
  };
}

function toView(alert: Alert & { rule: AlertRule }): TAlertView {
  return {
    ...alert,
    ruleName: alert.rule.name,
    kind: alert.rule.kind,
    severity: alert.rule.severity,
  };
}

/** Firing alerts first, then the rest, newest first within each. */
export async function findAlerts(db: TDb, filter: TAlertFilter): Promise<TAlertView[]> {
  const alerts = await db.alert.findMany({
    where: {
      state: filter.state === "all" ? undefined : filter.state,
      ruleId: filter.ruleId,
      acknowledgedAt:
        filter.isAcknowledged === undefined
          ? undefined
          : filter.isAcknowledged
            ? { not: null }
            : null,
    },
    orderBy: [{ state: "asc" }, { firedAt: "desc" }],
    take: filter.limit,
    include: { rule: true },
  });

  return alerts.map(toView);
}

/** How many alerts fire that nobody has acknowledged: the number on the badge. */
export async function countUnacknowledged(db: TDb): Promise<number> {
  return db.alert.count({ where: { state: "firing", acknowledgedAt: null } });
}

/** Marks an alert as seen by `actor`; acknowledging twice keeps the first. */
export async function acknowledgeAlert(db: PrismaClient, id: string, actor: TActor): Promise<void> {
  const eventId = await db.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({ where: { id } });
    if (!alert) {
      throw new BerthError("NOT_FOUND", "This alert no longer exists; reload the list.");
    }
    if (alert.acknowledgedAt) {
      return undefined;
    }
    await tx.alert.update({
      where: { id },
      data: { acknowledgedAt: new Date(), acknowledgedByName: actor.name },
    });

    return recordEvent(tx, {
      kind: "alert.acknowledged",
      message: `${actor.name} acknowledged: ${alert.message}`,
      actor,
      data: { alertId: id },
    });
  });
  if (eventId !== undefined) {
    await announceEvent(eventId);
  }
}
