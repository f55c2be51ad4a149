/**
 * Webhooks: their CRUD (audited), one POST with a timeout, the retry schedule, a test send,
 * and the delivery log.
 */
import type { TActor } from "@/server/auth/principal";
import type { PrismaClient } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";

import { type TAlertFacts, payloadFor } from "./payload";
import type { TTestResult, TWebhookInput } from "./schema";

export const WEBHOOK_TIMEOUT_MS = 5000;
/** A delivery is tried this many times before it counts as failed. */
export const MAX_DELIVERY_ATTEMPTS = 5;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;
/** Errors are kept short in the log: a receiver's whole error page is not needed. */
const MAX_ERROR_LENGTH = 300;

/** The wait before the next try, after `attempts` failed ones: 1 s, 2 s, 4 s... up to 60 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

export type TPostResult = { isDelivered: boolean; statusCode: number | null; error: string | null };

function describeFailure(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const code = err.cause?.code;

  return code ? `could not connect (${code})` : (err.message ?? "request failed");
}

/**
 * POSTs `body` as JSON once. Redirects are not followed: a receiver that moved must be given
 * its new address, rather than Berth posting alerts wherever an answer points.
 */
export async function postJson(
  url: string,
  body: unknown,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<TPostResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Berth-Alerts/1" },
      body: JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text().catch(() => "");
    if (response.status >= 200 && response.status < 300) {
      return { isDelivered: true, statusCode: response.status, error: null };
    }
    const detail = text.trim() ? `: ${text.trim()}` : "";

    return {
      isDelivered: false,
      statusCode: response.status,
      error: `answered ${response.status}${detail}`.slice(0, MAX_ERROR_LENGTH),
    };
  } catch (error) {
    return { isDelivered: false, statusCode: null, error: describeFailure(error, timeoutMs) };
  }
}

/** Every webhook, oldest first. Admins only: a URL often carries its receiver's secret. */
export async function findWebhooks(db: TDb) {
  return db.webhook.findMany({ orderBy: { createdAt: "asc" } });
}

/** Adds a webhook; it receives alert changes from now on. */
export async function createWebhook(
  db: PrismaClient,
  input: TWebhookInput,
  actor: TActor,
): Promise<{ id: string }> {
  const { webhook, eventId } = await db.$transaction(async (tx) => {
    const webhook = await tx.webhook.create({ data: input, select: { id: true } });
    const eventId = await recordEvent(tx, {
      kind: "alert.webhookCreated",
      message: `${actor.name} added webhook ${input.name} (${input.format})`,
      actor,
      data: { webhookId: webhook.id },
    });

    return { webhook, eventId };
  });
  await announceEvent(eventId);

  return webhook;
}

/** Replaces a webhook's fields; its queued deliveries go to the new URL. */
export async function updateWebhook(
  db: PrismaClient,
  input: TWebhookInput & { id: string },
  actor: TActor,
): Promise<void> {
  const { id, ...data } = input;
  const eventId = await db.$transaction(async (tx) => {
    const { count } = await tx.webhook.updateMany({ where: { id }, data });
    if (count === 0) {
      throw new BerthError("NOT_FOUND", "This webhook no longer exists; reload the list.");
    }

    return recordEvent(tx, {
      kind: "alert.webhookUpdated",
      message: `${actor.name} changed webhook ${input.name}`,
      actor,
      data: { webhookId: id, isEnabled: input.isEnabled },
    });
  });
  await announceEvent(eventId);
}

/** Deletes a webhook with its deliveries. */
export async function deleteWebhook(db: PrismaClient, id: string, actor: TActor): Promise<void> {
  const eventId = await db.$transaction(async (tx) => {
    const webhook = await tx.webhook.findUnique({ where: { id } });
    if (!webhook) {
      throw new BerthError("NOT_FOUND", "This webhook no longer exists; reload the list.");
    }
    await tx.webhook.delete({ where: { id } });

    return recordEvent(tx, {
      kind: "alert.webhookDeleted",
      message: `${actor.name} deleted webhook ${webhook.name}`,
      actor,
      data: { webhookId: id },
    });
  });
  await announceEvent(eventId);
}

/** A made-up alert for a test send; receivers can tell it by its event "test". */
export function testFacts(now: Date): TAlertFacts {
  return {
    id: "00000000-0000-0000-0000-000000000000",
    ruleId: "00000000-0000-0000-0000-000000000000",
    ruleName: "Test",
    kind: "nodeUnreachable",
    severity: "info",
    state: "firing",
    subjectKey: "node:00000000-0000-0000-0000-000000000000",
    subjectName: "example-node",
    message: "a test alert from Berth: this webhook works",
    firedAt: now,
    resolvedAt: null,
    acknowledgedAt: null,
  };
}

/** Sends a test alert to a webhook now, once, and says how the receiver answered. */
export async function sendTest(db: PrismaClient, id: string): Promise<TTestResult> {
  const webhook = await db.webhook.findUnique({ where: { id } });
  if (!webhook) {
    throw new BerthError("NOT_FOUND", "This webhook no longer exists; reload the list.");
  }
  const now = new Date();

  return postJson(webhook.url, payloadFor(webhook.format, testFacts(now), "test", now));
}

/** The delivery log, newest first. */
export async function findDeliveries(
  db: TDb,
  filter: { webhookId?: string; alertId?: string; limit: number },
) {
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId: filter.webhookId, alertId: filter.alertId },
    orderBy: { id: "desc" },
    take: filter.limit,
    include: {
      webhook: { select: { name: true } },
      alert: { select: { message: true } },
      tries: { orderBy: { number: "asc" } },
    },
  });

  return rows.map((row) => ({
    ...row,
    tries: row.tries.map(({ number, at, durationMs, statusCode, error }) => ({
      number,
      at,
      durationMs,
      statusCode,
      error,
    })),
    id: row.id.toString(),
    webhookName: row.webhook.name,
    alertMessage: row.alert.message,
  }));
}
