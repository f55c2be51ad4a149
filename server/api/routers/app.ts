import { z } from "zod";

import {
  ZAppSummary,
  ZAppView,
  ZRevisionDiff,
  ZRevisionView,
  type TAuthor,
} from "@/server/apps/service";
import * as apps from "@/server/apps/service";
import { ZDryRunResult, dryRun } from "@/server/apps/dry-run";
import { ZWhatIfResult, whatIf } from "@/server/apps/snapshot";
import { MAX_REPLICAS, ZAppSpec, strictObject } from "@/server/apps/spec";
import { ZReplicaView, listReplicas } from "@/server/apps/status";
import type { TActor, TPrincipal } from "@/server/auth/principal";
import { subscribeChanges } from "@/server/bus";

import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

const ZAppId = z.object({ id: z.uuid("must be an app id") });

const ZRevisionNumber = z
  .number({ error: "must be a revision number" })
  .int("must be a revision number")
  .min(1, "must be a revision number");

const ZReplicaCount = z
  .number({ error: `must be a whole number from 0 to ${MAX_REPLICAS}` })
  .int(`must be a whole number from 0 to ${MAX_REPLICAS}`)
  .min(0, `must be a whole number from 0 to ${MAX_REPLICAS} (0 stops the app)`)
  .max(MAX_REPLICAS, `must be a whole number from 0 to ${MAX_REPLICAS}`);

/** Seeds make a plan replayable; the same seed and cluster give the same plan. */
const ZSeed = z
  .number({ error: "must be a whole number from 0 to 4294967295" })
  .int()
  .min(0)
  .max(0xffff_ffff);

/** A spec to try, or an existing app's current spec; `replicas` overrides its count. */
const ZDryRunInput = z
  .strictObject({
    spec: ZAppSpec.optional(),
    appId: z.uuid("must be an app id").optional(),
    replicas: ZReplicaCount.optional(),
    // Left out, the app's placement seed: the preview then matches the real placement.
    seed: ZSeed.optional(),
  })
  .refine((input) => (input.spec === undefined) !== (input.appId === undefined), {
    message: "give either a spec or an appId",
    path: ["spec"],
  });

const ZOk = z.object({ ok: z.literal(true) });

function authorOf(ctx: { actor: TActor; principal: TPrincipal }): TAuthor {
  return { actor: ctx.actor, role: ctx.principal.role };
}

export const appRouter = createTRPCRouter({
  find: viewerProcedure.output(z.array(ZAppSummary)).query(({ ctx }) => apps.listApps(ctx.db)),

  get: viewerProcedure
    .input(ZAppId)
    .output(ZAppView)
    .query(({ ctx, input }) => apps.getApp(ctx.db, { id: input.id })),

  create: operatorProcedure
    .input(ZAppSpec)
    .output(ZAppView)
    .mutation(({ ctx, input }) => apps.createApp(ctx.db, input, authorOf(ctx))),

  /** Without an id, the app is the one the spec names. Masked secrets keep their values. */
  update: operatorProcedure
    .input(strictObject({ id: z.uuid("must be an app id").optional(), spec: ZAppSpec }))
    .output(ZAppView)
    .mutation(({ ctx, input }) => {
      const ref = input.id ? { id: input.id } : { name: input.spec.name };

      return apps.updateApp(ctx.db, ref, input.spec, authorOf(ctx));
    }),

  scale: operatorProcedure
    .input(strictObject({ id: z.uuid("must be an app id"), replicas: ZReplicaCount }))
    .output(ZAppView)
    .mutation(({ ctx, input }) => apps.scaleApp(ctx.db, input.id, input.replicas, authorOf(ctx))),

  rollback: operatorProcedure
    .input(strictObject({ id: z.uuid("must be an app id"), toRevision: ZRevisionNumber }))
    .output(ZAppView)
    .mutation(({ ctx, input }) =>
      apps.rollbackApp(ctx.db, input.id, input.toRevision, authorOf(ctx)),
    ),

  delete: operatorProcedure
    .input(ZAppId)
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await apps.deleteApp(ctx.db, input.id, ctx.actor);

      return { ok: true as const };
    }),

  /** Each replica with its node, state, health, address and placement explanation. */
  replicas: viewerProcedure
    .input(ZAppId)
    .output(z.array(ZReplicaView))
    .query(async ({ ctx, input }) => {
      await apps.getApp(ctx.db, { id: input.id });

      return listReplicas(ctx.db, input.id);
    }),

  revisions: viewerProcedure
    .input(ZAppId)
    .output(z.array(ZRevisionView))
    .query(({ ctx, input }) => apps.listRevisions(ctx.db, input.id)),

  diff: viewerProcedure
    .input(
      z.strictObject({
        id: z.uuid("must be an app id"),
        from: ZRevisionNumber,
        to: ZRevisionNumber,
      }),
    )
    .output(ZRevisionDiff)
    .query(({ ctx, input }) => apps.diffRevisions(ctx.db, input.id, input.from, input.to)),

  /**
   * Where replicas would go now; a query, since it changes nothing. For an app by id, a scale
   * preview: its replicas stay, only new slots are placed. Pulling follows BERTH_PULL_IMAGES.
   */
  dryRun: viewerProcedure
    .input(ZDryRunInput)
    .output(ZDryRunResult)
    .query(({ ctx, input }) => dryRun(ctx.db, input, { canPull: ctx.env.BERTH_PULL_IMAGES })),

  /** The id of each app that changes (spec, replicas, health, rollout); viewers refetch it. */
  watch: viewerProcedure.subscription(async function* ({ signal }) {
    for await (const change of subscribeChanges(signal)) {
      if (change.topic === "app") {
        yield { appId: change.appId };
      }
    }
  }),

  /** Where a node's replicas would go if it died now. */
  whatIf: viewerProcedure
    .input(z.strictObject({ nodeId: z.uuid("must be a node id"), seed: ZSeed.default(0) }))
    .output(ZWhatIfResult)
    .query(({ ctx, input }) =>
      whatIf(ctx.db, input.nodeId, input.seed, { canPull: ctx.env.BERTH_PULL_IMAGES }),
    ),
});
