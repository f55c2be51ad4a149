/**
 * The webhook sender (a leader loop): posts due deliveries, records each attempt's status code
 * or error on the delivery, and retries failures with exponential backoff until
 * MAX_DELIVERY_ATTEMPTS, after which the delivery counts as failed.
 */
import type { Logger } from "pino";

import { IntervalLoop } from "@/server/controller/interval-loop";

import type { Prisma, PrismaClient } from "@/server/db/generated/client";

import { payloadFor } from "./payload";
import { factsOf } from "./service";
import { MAX_DELIVERY_ATTEMPTS, type TPostResult, postJson, retryDelayMs } from "./webhooks";

export const SEND_INTERVAL_MS = 1000;
/** Deliveries sent per pass, in parallel: bounds the requests in flight. */
const BATCH_SIZE = 20;

const DUE_INCLUDE = { webhook: true, alert: { include: { rule: true } } } as const;

type TDueDelivery = Prisma.WebhookDeliveryGetPayload<{ include: typeof DUE_INCLUDE }>;

export type TWebhookSenderOptions = {
  db: PrismaClient;
  log: Logger;
  intervalMs?: number;
  timeoutMs?: number;
};

export class WebhookSender {
  private readonly log: Logger;
  private readonly loop: IntervalLoop;

  constructor(private readonly options: TWebhookSenderOptions) {
    this.log = options.log.child({ loop: "webhooks" });
    this.loop = new IntervalLoop({
      intervalMs: options.intervalMs ?? SEND_INTERVAL_MS,
      pass: () => this.pass(),
      onError: (error) => this.log.warn({ err: error }, "webhook pass failed"),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Sends every due delivery of one batch. */
  async pass(): Promise<void> {
    const due = await this.options.db.webhookDelivery.findMany({
      where: { state: "pending", nextAttemptAt: { lte: new Date() } },
      orderBy: { nextAttemptAt: "asc" },
      take: BATCH_SIZE,
      include: DUE_INCLUDE,
    });
    // Settled, not all: a pass ends only when every send in it has, so none is sent twice.
    const results = await Promise.allSettled(due.map((delivery) => this.send(delivery)));
    for (const result of results) {
      if (result.status === "rejected") {
        this.log.warn({ err: result.reason }, "webhook delivery not recorded");
      }
    }
  }

  private async send(delivery: TDueDelivery): Promise<void> {
    const { webhook, alert } = delivery;
    const now = new Date();
    const event = delivery.event === "resolved" ? "resolved" : "fired";
    const startedAt = performance.now();
    const result: TPostResult = webhook.isEnabled
      ? await postJson(
          webhook.url,
          payloadFor(webhook.format, factsOf(alert, event), event, now),
          this.options.timeoutMs,
        )
      : { isDelivered: false, statusCode: null, error: "the webhook is disabled" };
    const attempts = delivery.attempts + 1;
    const isLast = !webhook.isEnabled || attempts >= MAX_DELIVERY_ATTEMPTS;
    const state = result.isDelivered ? "delivered" : isLast ? "failed" : "pending";
    await this.options.db.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        state,
        attempts,
        statusCode: result.statusCode,
        error: result.error,
        deliveredAt: result.isDelivered ? new Date() : null,
        nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)),
        tries: {
          create: {
            number: attempts,
            at: now,
            durationMs: Math.round(performance.now() - startedAt),
            statusCode: result.statusCode,
            error: result.error,
          },
        },
      },
    });
    const fields = {
      deliveryId: delivery.id.toString(),
      webhookId: webhook.id,
      alertId: alert.id,
      attempts,
      statusCode: result.statusCode,
    };
    if (result.isDelivered) {
      this.log.info(fields, "webhook delivered");
    } else if (state === "failed") {
      this.log.warn({ ...fields, error: result.error }, "webhook delivery gave up");
    } else {
      this.log.info({ ...fields, error: result.error }, "webhook delivery failed; will retry");
    }
  }
}
