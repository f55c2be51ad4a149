import { z } from "zod";

import { ZPassword, ZRole } from "@/server/auth/schema";
import * as auth from "@/server/auth/service";
import { BerthError } from "@/server/errors";
import { ZName } from "@/server/nodes/schema";

import {
  adminProcedure,
  createTRPCRouter,
  publicProcedure,
  selfProcedure,
  viewerProcedure,
  type TContext,
} from "../trpc";

const ZUsername = ZName.describe("user name");

const ZMe = z.object({
  kind: z.enum(["user", "token"]),
  name: z.string(),
  role: ZRole,
});

const ZUserView = z.object({
  id: z.string(),
  username: z.string(),
  role: ZRole,
  createdAt: z.date(),
});

/** Checks the password, sets the session cookie, and says who is now signed in. */
async function openSession(ctx: TContext, input: { username: string; password: string }) {
  const grant = await auth.signIn(ctx.db, {
    ...input,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    ttlHours: ctx.env.BERTH_SESSION_TTL_HOURS,
  });
  ctx.setSessionCookie(grant.token, grant.expiresAt);

  return { kind: "user" as const, name: grant.principal.name, role: grant.principal.role };
}

export const userRouter = createTRPCRouter({
  /** Whether Berth still needs its first admin; asked by the sign-in page. */
  setupStatus: publicProcedure
    .output(z.object({ needsSetup: z.boolean() }))
    .query(async ({ ctx }) => ({ needsSetup: await auth.needsSetup(ctx.db) })),

  setup: publicProcedure
    .input(z.object({ username: ZUsername, password: ZPassword }))
    .output(ZMe)
    .mutation(async ({ ctx, input }) => {
      await auth.createFirstAdmin(ctx.db, input);
      return openSession(ctx, input);
    }),

  signIn: publicProcedure
    .input(z.object({ username: z.string().max(200), password: z.string().max(200) }))
    .output(ZMe)
    .mutation(({ ctx, input }) => openSession(ctx, input)),

  /** Signing out is allowed to anyone: it only clears what the caller holds. */
  signOut: publicProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    if (ctx.principal?.kind === "user") {
      await auth.signOut(ctx.db, ctx.principal.sessionId);
    }
    ctx.clearSessionCookie();

    return { ok: true as const };
  }),

  me: viewerProcedure.output(ZMe).query(({ ctx }) => ({
    kind: ctx.principal.kind,
    name: ctx.principal.name,
    role: ctx.principal.role,
  })),

  find: adminProcedure.output(z.array(ZUserView)).query(({ ctx }) =>
    ctx.db.user.findMany({
      orderBy: { username: "asc" },
      select: { id: true, username: true, role: true, createdAt: true },
    }),
  ),

  create: adminProcedure
    .input(z.object({ username: ZUsername, password: ZPassword, role: ZRole }))
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => auth.createUser(ctx.db, { ...input, actor: ctx.actor })),

  update: adminProcedure
    .input(z.object({ id: z.uuid(), role: ZRole }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await auth.setUserRole(ctx.db, { userId: input.id, role: input.role, actor: ctx.actor });

      return { ok: true as const };
    }),

  delete: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await auth.deleteUser(ctx.db, input.id, ctx.actor);

      return { ok: true as const };
    }),

  /** Any signed-in user may change their own password; tokens cannot. */
  changePassword: selfProcedure
    .input(z.object({ current: z.string().max(200), next: ZPassword }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const principal = ctx.principal;
      if (principal.kind !== "user") {
        throw new BerthError("FORBIDDEN", "API tokens cannot change passwords. Sign in instead.");
      }
      await auth.changePassword(ctx.db, {
        userId: principal.userId,
        sessionId: principal.sessionId,
        ...input,
        actor: ctx.actor,
      });

      return { ok: true as const };
    }),
});
