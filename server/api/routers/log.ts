import { z } from "zod";

import { toTrpcError } from "@/server/errors";
import { liveLogHub } from "@/server/logs/live-hub";
import { ZLogLine, ZLogTarget } from "@/server/logs/schema";
import { ZLogSearch, searchLogs } from "@/server/logs/search";
import {
  ZLogRetention,
  ZLogRetentionUpdate,
  getLogRetention,
  updateLogRetention,
} from "@/server/logs/settings";
import {
  DEFAULT_TAIL_LINES,
  MAX_TAIL_LINES,
  type TTailMessage,
  tailLogs,
} from "@/server/logs/tail";

import { BerthError, createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

const ZTailInput = ZLogTarget.extend({
  tail: z
    .number()
    .int()
    .min(0, "must be at least 0")
    .max(MAX_TAIL_LINES, `must be at most ${MAX_TAIL_LINES}`)
    .default(DEFAULT_TAIL_LINES),
});

export const logRouter = createTRPCRouter({
  /**
   * The live log of one replica, or of every running replica of an app merged in time order:
   * the recent lines first, then each new batch as the engines write it.
   */
  tail: viewerProcedure.input(ZTailInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }): AsyncGenerator<TTailMessage> {
    const app = await ctx.db.app.findUnique({ where: { id: input.appId }, select: { id: true } });
    if (!app) {
      // Thrown inside the stream, past the error middleware: already as the client sees it.
      throw toTrpcError(
        new BerthError("NOT_FOUND", "No app with this id. It may have been deleted.", {
          field: "appId",
        }),
      );
    }
    const abort = signal ?? new AbortController().signal;
    yield* tailLogs(ctx.db, liveLogHub(), input, input.tail, abort);
  }),

  /** Stored lines matching text or a regular expression, newest first, in pages. */
  search: viewerProcedure
    .input(ZLogSearch)
    .output(z.object({ lines: z.array(ZLogLine), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => {
      const { limit, cursor, ...filter } = input;

      return searchLogs(ctx.db, filter, { limit, cursor });
    }),

  retention: createTRPCRouter({
    get: viewerProcedure
      .input(z.object({ appId: z.uuid("must be an app id") }))
      .output(ZLogRetention)
      .query(({ ctx, input }) => getLogRetention(ctx.db, input.appId)),

    update: operatorProcedure
      .input(ZLogRetentionUpdate)
      .output(ZLogRetention)
      .mutation(({ ctx, input }) => updateLogRetention(ctx.db, input, ctx.actor)),
  }),
});
