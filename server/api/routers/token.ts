import { z } from "zod";

import { hasRole } from "@/server/auth/principal";
import { ZRole } from "@/server/auth/schema";
import { createApiToken, revokeApiToken } from "@/server/auth/service";
import { BerthError } from "@/server/errors";

import { adminProcedure, createTRPCRouter } from "../trpc";

const ZTokenView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: ZRole,
  createdBy: z.string(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
});

export const tokenRouter = createTRPCRouter({
  find: adminProcedure.output(z.array(ZTokenView)).query(async ({ ctx }) => {
    const tokens = await ctx.db.apiToken.findMany({
      orderBy: { createdAt: "desc" },
      include: { user: { select: { username: true } } },
    });

    return tokens.map((token) => ({ ...token, createdBy: token.user.username }));
  }),

  /** Returns the token's secret this once; only its digest is kept. */
  create: adminProcedure
    .input(
      z.object({
        name: z
          .string()
          .trim()
          .min(1, "is required")
          .max(64, "must be at most 64 characters")
          .regex(/^[A-Za-z0-9 ._-]+$/, "use letters, digits, spaces and . _ -"),
        role: ZRole,
      }),
    )
    .output(z.object({ id: z.string(), token: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (!hasRole(ctx.principal.role, input.role)) {
        throw new BerthError("FORBIDDEN", "A token cannot have a higher role than its maker.", {
          field: "role",
        });
      }

      return createApiToken(ctx.db, {
        ...input,
        userId: ctx.principal.userId,
        actor: ctx.actor,
      });
    }),

  delete: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiToken(ctx.db, input.id, ctx.actor);

      return { ok: true as const };
    }),
});
