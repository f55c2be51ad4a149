import type { IncomingMessage, ServerResponse } from "node:http";

import { principalFromApiToken, principalFromSession } from "@/server/auth/service";
import type { PrismaClient } from "@/server/db/generated/client";
import type { TEnv } from "@/server/env";
import { logger } from "@/server/logger";

import type { TContext } from "./trpc";

export const SESSION_COOKIE = "berth_session";

/** Reads one cookie from the request; values are opaque tokens, so no decoding is needed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) {
      return rest.join("=");
    }
  }

  return undefined;
}

function isHttps(req: IncomingMessage): boolean {
  return req.headers["x-forwarded-proto"] === "https" || "encrypted" in req.socket;
}

function cookieHeader(req: IncomingMessage, value: string, expires: Date): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expires.toUTCString()}`,
  ];
  if (isHttps(req)) {
    parts.push("Secure");
  }

  return parts.join("; ");
}

/** Builds the tRPC context of one HTTP request: who is calling, from where. */
export async function createHttpContext(
  deps: { db: PrismaClient; env: TEnv },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<TContext> {
  const authorization = req.headers.authorization;
  const bearer = authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : undefined;
  const sessionToken = readCookie(req.headers.cookie, SESSION_COOKIE);
  let principal = null;
  if (bearer) {
    principal = await principalFromApiToken(deps.db, bearer);
  } else if (sessionToken) {
    principal = await principalFromSession(deps.db, sessionToken);
  }
  const ip = req.socket.remoteAddress ?? "unknown";

  return {
    db: deps.db,
    env: deps.env,
    principal,
    ip,
    userAgent: req.headers["user-agent"],
    log: logger().child({ ip, principal: principal?.name }),
    setSessionCookie: (token, expiresAt) => {
      res.setHeader("Set-Cookie", cookieHeader(req, token, expiresAt));
    },
    clearSessionCookie: () => {
      res.setHeader("Set-Cookie", cookieHeader(req, "", new Date(0)));
    },
  };
}
