import { z } from "zod";

import {
  ZRepackPlanView,
  ZRepackView,
  applyRepack,
  cancelRepack,
  latestRepack,
  previewRepack,
} from "@/server/cluster/repack";

import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

export const clusterRouter = createTRPCRouter({
  /** Where every replica would go to free the most nodes; a query, since it moves nothing. */
  repackPlan: viewerProcedure.output(ZRepackPlanView).query(({ ctx }) => previewRepack(ctx.db)),

  /** The newest re-pack with each move's state; null when none was ever applied. */
  repack: viewerProcedure.output(ZRepackView.nullable()).query(({ ctx }) => latestRepack(ctx.db)),

  /** Plans afresh and applies: one move at a time, each successor ready first. */
  applyRepack: operatorProcedure
    .input(z.strictObject({}).optional())
    .output(ZRepackView)
    .mutation(({ ctx }) => applyRepack(ctx.db, ctx.actor)),

  cancelRepack: operatorProcedure
    .input(z.strictObject({}).optional())
    .output(ZRepackView)
    .mutation(({ ctx }) => cancelRepack(ctx.db, ctx.actor)),
});
