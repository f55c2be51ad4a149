/**
 * tRPC set-up: context, error shape, and the procedure builders that enforce roles.
 *
 * Every procedure must declare the least role it needs through its builder. The access test
 * walks the whole router, so a procedure that skips this is caught.
 */
import { TRPCError, initTRPC } from "@trpc/server";
import type { Logger } from "pino";
import superjson from "superjson";
import { ZodError } from "zod";

import { type TPrincipal, type TRole, actorOf, hasRole } from "@/server/auth/principal";
import { MAX_COMPOSE_BYTES } from "@/server/apps/compose/yaml";
import { MAX_ENV_TOTAL_BYTES, MIB_BYTES, describeBytes } from "@/server/apps/spec";
import type { PrismaClient } from "@/server/db/generated/client";
import { BerthError, isBerthError, toTrpcError } from "@/server/errors";
import type { TEnv } from "@/server/env";

/**
 * The largest request body the HTTP handler reads. Well above every field's own limit (a
 * Compose file's 1 MiB, env's 256 KiB), so an oversized field gets its own field error; a
 * larger body is refused unread.
 */
export const MAX_REQUEST_BYTES = 8 * MIB_BYTES;

const PAYLOAD_TOO_LARGE_MESSAGE =
  `The request is larger than ${describeBytes(MAX_REQUEST_BYTES)}, so none of it was read ` +
  `and nothing changed. Send less: env takes at most ${describeBytes(MAX_ENV_TOTAL_BYTES)} ` +
  `in all, a Compose file at most ${describeBytes(MAX_COMPOSE_BYTES)}.`;

export type TCookieOptions = { maxAgeSeconds?: number; expires?: Date };

export type TContext = {
  db: PrismaClient;
  env: TEnv;
  principal: TPrincipal | null;
  ip: string;
  userAgent?: string;
  log: Logger;
  setSessionCookie: (token: string, expiresAt: Date) => void;
  clearSessionCookie: () => void;
};

/**
 * The least access a procedure needs. "self" is for a signed-in person acting on their own
 * account only (e.g. changing their password), which even viewers may do.
 */
export type TMeta = { access: "public" | "self" | TRole };

/** Field errors as { "labels.zone": ["must be at most 256 characters"] }, for forms. */
export type TFieldErrors = Record<string, string[]>;

function zodFieldErrors(error: ZodError): TFieldErrors {
  const fields: TFieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "input";
    (fields[key] ??= []).push(issue.message);
  }

  return fields;
}

function describeZodError(fields: TFieldErrors): string {
  const parts = Object.entries(fields).map(([field, messages]) => `${field}: ${messages[0]}`);

  return `Check the form: ${parts.slice(0, 5).join("; ")}`;
}

const t = initTRPC
  .context<TContext>()
  .meta<TMeta>()
  .create({
    transformer: superjson,
    // Pings keep idle live views' connections open through proxies; the client reconnects
    // when pings stop, and shows it.
    sse: {
      ping: { enabled: true, intervalMs: 3000 },
      client: { reconnectAfterInactivityMs: 8000 },
    },
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      if (cause instanceof ZodError) {
        const fieldErrors = zodFieldErrors(cause);

        return {
          ...shape,
          message: describeZodError(fieldErrors),
          data: { ...shape.data, stack: undefined, berthCode: "INVALID_INPUT", fieldErrors },
        };
      }
      const berth = isBerthError(cause) ? cause : undefined;
      const isInternal = shape.data.httpStatus >= 500 && !berth;
      if (error.code === "PAYLOAD_TOO_LARGE") {
        return {
          ...shape,
          message: PAYLOAD_TOO_LARGE_MESSAGE,
          data: { ...shape.data, stack: undefined, berthCode: "INVALID_INPUT", fieldErrors: null },
        };
      }

      return {
        ...shape,
        // Internal failures keep their details in the server log, not on screen.
        message: isInternal
          ? "Something went wrong on the server. Try again; see the logs."
          : shape.message,
        data: {
          ...shape.data,
          stack: undefined,
          berthCode: berth?.code ?? null,
          fieldErrors: berth?.field ? { [berth.field]: [berth.message] } : null,
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Logs failures and turns BerthErrors into tRPC errors with the right code. */
const errorMiddleware = t.middleware(async ({ ctx, next, path, type }) => {
  const started = performance.now();
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    const log = ctx.log.child({ path, type, ms: Math.round(performance.now() - started) });
    if (isBerthError(cause)) {
      result.error = Object.assign(toTrpcError(cause), { cause });
      log.info({ code: cause.code, nodeId: cause.nodeId }, "request refused");
    } else if (result.error.code === "INTERNAL_SERVER_ERROR") {
      log.error({ err: result.error.cause ?? result.error }, "request failed");
    }
  }

  return result;
});

/** Requires a signed-in user or a valid API token, and names them as the actor. */
const authMiddleware = t.middleware(({ ctx, next }) => {
  if (!ctx.principal) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  }

  return next({ ctx: { ...ctx, principal: ctx.principal, actor: actorOf(ctx.principal) } });
});

function roleMiddleware(access: TRole) {
  return t.middleware(({ ctx, next, type }) => {
    const role = ctx.principal?.role ?? "viewer";
    // Viewers may read, never change: a viewer-level mutation would be a bug.
    const needed: TRole = type === "mutation" && access === "viewer" ? "operator" : access;
    if (!hasRole(role, needed)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${needed} role; you are ${role}. Ask an admin.`,
      });
    }

    return next();
  });
}

const base = t.procedure.use(errorMiddleware);
const authed = base.use(authMiddleware);

export const publicProcedure = base.meta({ access: "public" });
export const selfProcedure = authed.meta({ access: "self" });
export const viewerProcedure = authed.meta({ access: "viewer" }).use(roleMiddleware("viewer"));
export const operatorProcedure = authed
  .meta({ access: "operator" })
  .use(roleMiddleware("operator"));
export const adminProcedure = authed.meta({ access: "admin" }).use(roleMiddleware("admin"));

export { BerthError };
