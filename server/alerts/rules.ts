/** Alert rules: their CRUD, audited, and the default rules a new installation starts with. */
import type { TActor } from "@/server/auth/principal";
import type { PrismaClient } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";

import { DEFAULT_RESTART_THRESHOLD } from "./evaluate";
import type { TRuleInput, TRuleView } from "./schema";

/** Set once the default rules were made, so deleting them later does not bring them back. */
const DEFAULTS_SEEDED_KEY = "alerts.defaultRulesSeeded";

const DEFAULT_RULES: TRuleInput[] = [
  {
    name: "Node unreachable",
    kind: "nodeUnreachable",
    threshold: null,
    forSeconds: 0,
    appId: null,
    severity: "error",
    isEnabled: true,
  },
  {
    name: "Restart loop",
    kind: "restartLoop",
    threshold: DEFAULT_RESTART_THRESHOLD,
    forSeconds: 0,
    appId: null,
    severity: "error",
    isEnabled: true,
  },
  {
    name: "Replica cannot be placed",
    kind: "replicaUnplaced",
    threshold: null,
    forSeconds: 30,
    appId: null,
    severity: "warning",
    isEnabled: true,
  },
];

/**
 * Makes the default rules on the first start of an installation, once: concurrent starts agree
 * because only one insert of the marker wins.
 */
export async function seedDefaultRules(db: PrismaClient): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.setting.createMany({
      data: [{ key: DEFAULTS_SEEDED_KEY, value: new Date().toISOString() }],
      skipDuplicates: true,
    });
    if (count === 0) {
      return false;
    }
    await tx.alertRule.createMany({ data: DEFAULT_RULES });

    return true;
  });
}

async function checkApp(db: TDb, appId: string | null): Promise<void> {
  if (appId && !(await db.app.findUnique({ where: { id: appId }, select: { id: true } }))) {
    throw new BerthError("INVALID_INPUT", "No app has this id; pick an app from the list.", {
      field: "appId",
    });
  }
}

/** Every rule with its app's name and how many of its alerts fire. */
export async function findRules(db: TDb): Promise<TRuleView[]> {
  const rules = await db.alertRule.findMany({
    orderBy: { createdAt: "asc" },
    include: { _count: { select: { alerts: { where: { state: "firing" } } } } },
  });
  const appIds = rules.flatMap((rule) => (rule.appId ? [rule.appId] : []));
  const apps = await db.app.findMany({
    where: { id: { in: appIds } },
    select: { id: true, name: true },
  });
  const names = new Map(apps.map((app) => [app.id, app.name]));

  return rules.map((rule) => ({
    ...rule,
    appName: rule.appId ? (names.get(rule.appId) ?? null) : null,
    firingCount: rule._count.alerts,
  }));
}

function summary(rule: TRuleInput): string {
  return rule.threshold === null ? rule.kind : `${rule.kind} ${rule.threshold}`;
}

/** Adds a rule; the evaluator reads it at its next pass. */
export async function createRule(
  db: PrismaClient,
  input: TRuleInput,
  actor: TActor,
): Promise<{ id: string }> {
  await checkApp(db, input.appId);
  const { rule, eventId } = await db.$transaction(async (tx) => {
    const rule = await tx.alertRule.create({ data: input, select: { id: true } });
    const eventId = await recordEvent(tx, {
      kind: "alert.ruleCreated",
      message: `${actor.name} added alert rule ${input.name} (${summary(input)})`,
      actor,
      data: { ruleId: rule.id },
    });

    return { rule, eventId };
  });
  await announceEvent(eventId);

  return rule;
}

/** Replaces a rule's fields; turning it off resolves its open alerts at the next pass. */
export async function updateRule(
  db: PrismaClient,
  input: TRuleInput & { id: string },
  actor: TActor,
): Promise<void> {
  await checkApp(db, input.appId);
  const { id, ...data } = input;
  const eventId = await db.$transaction(async (tx) => {
    const { count } = await tx.alertRule.updateMany({ where: { id }, data });
    if (count === 0) {
      throw new BerthError("NOT_FOUND", "This alert rule no longer exists; reload the list.");
    }

    return recordEvent(tx, {
      kind: "alert.ruleUpdated",
      message: `${actor.name} changed alert rule ${input.name} (${summary(input)})`,
      actor,
      data: { ruleId: id, isEnabled: input.isEnabled },
    });
  });
  await announceEvent(eventId);
}

/** Deletes a rule and, with it, its alerts and their deliveries. */
export async function deleteRule(db: PrismaClient, id: string, actor: TActor): Promise<void> {
  const eventId = await db.$transaction(async (tx) => {
    const rule = await tx.alertRule.findUnique({ where: { id } });
    if (!rule) {
      throw new BerthError("NOT_FOUND", "This alert rule no longer exists; reload the list.");
    }
    await tx.alertRule.delete({ where: { id } });

    return recordEvent(tx, {
      kind: "alert.ruleDeleted",
      message: `${actor.name} deleted alert rule ${rule.name}`,
      actor,
      data: { ruleId: id },
    });
  });
  await announceEvent(eventId);
}
