import { z } from "zod";

import { createRule, deleteRule, findRules, updateRule } from "@/server/alerts/rules";
import {
  ZAlertFilter,
  ZAlertView,
  ZDeliveryView,
  ZRuleInput,
  ZRuleUpdate,
  ZRuleView,
  ZTestResult,
  ZWebhookInput,
  ZWebhookUpdate,
  ZWebhookView,
} from "@/server/alerts/schema";
import { acknowledgeAlert, countUnacknowledged, findAlerts } from "@/server/alerts/service";
import {
  createWebhook,
  deleteWebhook,
  findDeliveries,
  findWebhooks,
  sendTest,
  updateWebhook,
} from "@/server/alerts/webhooks";

import { adminProcedure, createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

const ZOk = z.object({ ok: z.literal(true) });
const ZId = z.object({ id: z.uuid("must be an id") });

const ruleRouter = createTRPCRouter({
  find: viewerProcedure.output(z.array(ZRuleView)).query(({ ctx }) => findRules(ctx.db)),

  create: operatorProcedure
    .input(ZRuleInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => createRule(ctx.db, input, ctx.actor)),

  update: operatorProcedure
    .input(ZRuleUpdate)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await updateRule(ctx.db, input, ctx.actor);

      return { ok: true as const };
    }),

  delete: operatorProcedure
    .input(ZId)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteRule(ctx.db, input.id, ctx.actor);

      return { ok: true as const };
    }),
});

/** Admin only: a webhook's URL often carries its receiver's secret. */
const webhookRouter = createTRPCRouter({
  find: adminProcedure.output(z.array(ZWebhookView)).query(({ ctx }) => findWebhooks(ctx.db)),

  create: adminProcedure
    .input(ZWebhookInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => createWebhook(ctx.db, input, ctx.actor)),

  update: adminProcedure
    .input(ZWebhookUpdate)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await updateWebhook(ctx.db, input, ctx.actor);

      return { ok: true as const };
    }),

  delete: adminProcedure
    .input(ZId)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteWebhook(ctx.db, input.id, ctx.actor);

      return { ok: true as const };
    }),

  /** Posts a made-up alert to the webhook now and reports the receiver's answer. */
  test: adminProcedure
    .input(ZId)
    .output(ZTestResult)
    .mutation(({ ctx, input }) => sendTest(ctx.db, input.id)),
});

const deliveryRouter = createTRPCRouter({
  find: adminProcedure
    .input(
      z.object({
        webhookId: z.uuid("must be a webhook id").optional(),
        alertId: z.uuid("must be an alert id").optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .output(z.array(ZDeliveryView))
    .query(({ ctx, input }) => findDeliveries(ctx.db, input)),
});

export const alertRouter = createTRPCRouter({
  /** Firing alerts first, then resolved ones, newest first. */
  find: viewerProcedure
    .input(ZAlertFilter)
    .output(z.array(ZAlertView))
    .query(({ ctx, input }) => findAlerts(ctx.db, input)),

  /** Firing alerts nobody acknowledged yet: the badge's number. */
  count: viewerProcedure
    .output(z.object({ firingUnacknowledged: z.number() }))
    .query(async ({ ctx }) => ({ firingUnacknowledged: await countUnacknowledged(ctx.db) })),

  acknowledge: operatorProcedure
    .input(ZId)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await acknowledgeAlert(ctx.db, input.id, ctx.actor);

      return { ok: true as const };
    }),

  rule: ruleRouter,
  webhook: webhookRouter,
  delivery: deliveryRouter,
});
