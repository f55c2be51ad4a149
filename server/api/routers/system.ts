import { z } from "zod";

import { createTRPCRouter, publicProcedure } from "../trpc";

export const systemRouter = createTRPCRouter({
  /** A health probe for load balancers and the start-up script; reveals nothing else. */
  health: publicProcedure
    .output(z.object({ ok: z.boolean(), database: z.boolean() }))
    .query(async ({ ctx }) => {
      const database = await ctx.db.$queryRaw`SELECT 1`.then(
        () => true,
        () => false,
      );

      return { ok: database, database };
    }),
});
