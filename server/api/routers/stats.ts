import { z } from "zod";

import { liveStatsHub } from "@/server/stats/live-hub";
import { livePoints } from "@/server/stats/live";
import {
  STAT_RANGES,
  STAT_SCOPES,
  type TStatPoint,
  ZCurrentStats,
  ZStatHistory,
  ZStatTarget,
} from "@/server/stats/schema";
import { currentStats, requireTarget, statHistory } from "@/server/stats/service";

import { createTRPCRouter, viewerProcedure } from "../trpc";

/** Lists ask for a page of rows at a time; more ids than this is not a list. */
const MAX_CURRENT_IDS = 500;

export const statsRouter = createTRPCRouter({
  /** A replica's, app's or node's stored points over a range (10 s or 60 s apart). */
  history: viewerProcedure
    .input(
      z.strictObject({
        target: ZStatTarget,
        range: z.enum(STAT_RANGES, { error: `range must be one of ${STAT_RANGES.join(", ")}` }),
      }),
    )
    .output(ZStatHistory)
    .query(async ({ ctx, input }) => {
      await requireTarget(ctx.db, input.target);

      return statHistory(ctx.db, input.target, input.range);
    }),

  /** The last two minutes of 1 s points, then one point a second while subscribed. */
  live: viewerProcedure.input(ZStatTarget).subscription(async function* ({
    ctx,
    input,
    signal,
  }): AsyncGenerator<TStatPoint> {
    await requireTarget(ctx.db, input);
    yield* livePoints(ctx.db, liveStatsHub(), input, signal ?? new AbortController().signal);
  }),

  /** The newest point of each id, for the CPU and memory columns of lists. */
  current: viewerProcedure
    .input(
      z.strictObject({
        scope: z.enum(STAT_SCOPES),
        ids: z.array(z.uuid("must be ids of replicas, apps or nodes")).max(MAX_CURRENT_IDS),
      }),
    )
    .output(ZCurrentStats)
    .query(({ ctx, input }) => currentStats(ctx.db, input.scope, input.ids)),
});
