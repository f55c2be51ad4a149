/**
 * Users, sessions and API tokens. Passwords are hashed with argon2id; session cookies and
 * tokens are stored only as SHA-256 digests.
 */
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";
import type { PrismaClient } from "@/server/db/generated/client";

import { API_TOKEN_PREFIX, hashPassword, randomSecret, sha256, verifyPassword } from "./crypto";
import type { TActor, TPrincipal, TRole } from "./principal";
import { SIGN_IN_WINDOW_MS, decideSignIn } from "./rate-limit";

/** Hash of a password nobody has, so unknown users cost as much time as wrong passwords. */
const DUMMY_HASH_INPUT = "berth-no-such-user";
let dummyHash: Promise<string> | undefined;

export type TSessionGrant = { token: string; expiresAt: Date; principal: TPrincipal };

export async function needsSetup(db: PrismaClient): Promise<boolean> {
  return (await db.user.count()) === 0;
}

/** Creates the first admin; refused once any user exists. */
export async function createFirstAdmin(
  db: PrismaClient,
  input: { username: string; password: string },
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const eventId = await db.$transaction(async (tx) => {
    // Serialises concurrent set-up attempts so only one admin is made.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727001)`;
    if ((await tx.user.count()) > 0) {
      throw new BerthError("ALREADY_SET_UP", "Berth is already set up. Sign in instead.");
    }
    const user = await tx.user.create({
      data: { username: input.username, passwordHash, role: "admin" },
    });

    return recordEvent(tx, {
      kind: "user.created",
      message: `first admin ${user.username} created`,
      actor: { type: "user", id: user.id, name: user.username },
      data: { role: "admin" },
    });
  });
  await announceEvent(eventId);
}

async function countFailures(db: PrismaClient, username: string, ip: string, since: Date) {
  const [byUsername, byIp, oldest] = await Promise.all([
    db.signInAttempt.count({ where: { username, succeeded: false, createdAt: { gte: since } } }),
    db.signInAttempt.count({ where: { ip, succeeded: false, createdAt: { gte: since } } }),
    db.signInAttempt.findFirst({
      where: { OR: [{ username }, { ip }], succeeded: false, createdAt: { gte: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
  ]);

  return { byUsername, byIp, oldestInWindow: oldest?.createdAt };
}

/** Checks a password, rate limited per user name and per client address, and opens a session. */
export async function signIn(
  db: PrismaClient,
  input: { username: string; password: string; ip: string; userAgent?: string; ttlHours: number },
): Promise<TSessionGrant> {
  const now = new Date();
  const failures = await countFailures(
    db,
    input.username,
    input.ip,
    new Date(now.getTime() - SIGN_IN_WINDOW_MS),
  );
  const decision = decideSignIn(failures, now);
  if (!decision.allowed) {
    const minutes = Math.ceil(decision.retryAfterMs / 60_000);
    throw new BerthError(
      "RATE_LIMITED",
      `Too many failed sign-ins. Wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
    );
  }
  const user = await db.user.findUnique({ where: { username: input.username } });
  dummyHash ??= hashPassword(DUMMY_HASH_INPUT);
  const isValid = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  await db.signInAttempt.create({
    data: { username: input.username, ip: input.ip, succeeded: isValid && user !== null },
  });
  if (!user || !isValid) {
    throw new BerthError("UNAUTHENTICATED", "Wrong user name or password.", { field: "password" });
  }
  const token = randomSecret();
  const expiresAt = new Date(now.getTime() + input.ttlHours * 3600_000);
  const session = await db.session.create({
    data: {
      tokenHash: sha256(token),
      userId: user.id,
      expiresAt,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300),
    },
  });

  return {
    token,
    expiresAt,
    principal: {
      kind: "user",
      userId: user.id,
      name: user.username,
      role: user.role,
      sessionId: session.id,
    },
  };
}

export async function signOut(db: PrismaClient, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** How often a session's last-seen time is written; reads in between stay read-only. */
const TOUCH_INTERVAL_MS = 60_000;

/** The user behind a session cookie, or null when it is unknown or expired. */
export async function principalFromSession(
  db: PrismaClient,
  token: string,
): Promise<TPrincipal | null> {
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(token) },
    include: { user: true },
  });
  const now = new Date();
  if (!session || session.expiresAt <= now) {
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }

  return {
    kind: "user",
    userId: session.userId,
    name: session.user.username,
    role: session.user.role,
    sessionId: session.id,
  };
}

/** The token behind an `Authorization: Bearer` value, or null when unknown or revoked. */
export async function principalFromApiToken(
  db: PrismaClient,
  bearer: string,
): Promise<TPrincipal | null> {
  if (!bearer.startsWith(API_TOKEN_PREFIX)) {
    return null;
  }
  const token = await db.apiToken.findUnique({ where: { tokenHash: sha256(bearer) } });
  if (!token || token.revokedAt) {
    return null;
  }
  const now = new Date();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }

  return {
    kind: "token",
    tokenId: token.id,
    name: token.name,
    role: token.role,
    userId: token.userId,
  };
}

/** Makes an API token; the secret is returned once and only its digest is kept. */
export async function createApiToken(
  db: PrismaClient,
  input: { name: string; role: TRole; userId: string; actor: TActor },
): Promise<{ id: string; token: string }> {
  const token = API_TOKEN_PREFIX + randomSecret();
  const { id, eventId } = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name: input.name,
        role: input.role,
        userId: input.userId,
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 4),
        tokenHash: sha256(token),
      },
    });
    const eventId = await recordEvent(tx, {
      kind: "token.created",
      message: `API token ${input.name} created with role ${input.role}`,
      actor: input.actor,
      data: { tokenId: created.id, role: input.role },
    });

    return { id: created.id, eventId };
  });
  await announceEvent(eventId);

  return { id, token };
}

export async function revokeApiToken(db: PrismaClient, id: string, actor: TActor): Promise<void> {
  const eventId = await db.$transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({ where: { id } });
    if (!token || token.revokedAt) {
      throw new BerthError("NOT_FOUND", "No active token with this id. Refresh the list.");
    }
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });

    return recordEvent(tx, {
      kind: "token.revoked",
      message: `API token ${token.name} revoked`,
      actor,
      data: { tokenId: id },
    });
  });
  await announceEvent(eventId);
}

/** Creates a user (admins only); the name must be free. */
export async function createUser(
  db: PrismaClient,
  input: { username: string; password: string; role: TRole; actor: TActor },
): Promise<{ id: string }> {
  const passwordHash = await hashPassword(input.password);
  const existing = await db.user.findUnique({ where: { username: input.username } });
  if (existing) {
    throw new BerthError("CONFLICT", `The user name ${input.username} is taken. Pick another.`, {
      field: "username",
    });
  }
  const { id, eventId } = await db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { username: input.username, passwordHash, role: input.role },
    });
    const eventId = await recordEvent(tx, {
      kind: "user.created",
      message: `user ${user.username} created with role ${user.role}`,
      actor: input.actor,
      data: { userId: user.id, role: user.role },
    });

    return { id: user.id, eventId };
  });
  await announceEvent(eventId);

  return { id };
}

/** Changes a user's role; the last admin cannot be demoted, so Berth never locks itself out. */
export async function setUserRole(
  db: PrismaClient,
  input: { userId: string; role: TRole; actor: TActor },
): Promise<void> {
  const eventId = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727002)`;
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) {
      throw new BerthError("NOT_FOUND", "No user with this id. Refresh the list.");
    }
    const admins = await tx.user.count({ where: { role: "admin" } });
    if (user.role === "admin" && input.role !== "admin" && admins <= 1) {
      throw new BerthError("CONFLICT", "This is the last admin. Make another admin first.", {
        field: "role",
      });
    }
    await tx.user.update({ where: { id: user.id }, data: { role: input.role } });

    return recordEvent(tx, {
      kind: "user.role-changed",
      message: `user ${user.username} is now ${input.role}`,
      actor: input.actor,
      data: { userId: user.id, from: user.role, to: input.role },
    });
  });
  await announceEvent(eventId);
}

export async function deleteUser(db: PrismaClient, userId: string, actor: TActor): Promise<void> {
  if (actor.id === userId) {
    throw new BerthError("CONFLICT", "You cannot delete yourself. Ask another admin.");
  }
  const eventId = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727002)`;
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) {
      throw new BerthError("NOT_FOUND", "No user with this id. Refresh the list.");
    }
    if (user.role === "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new BerthError("CONFLICT", "This is the last admin. Make another admin first.");
    }
    await tx.user.delete({ where: { id: userId } });

    return recordEvent(tx, {
      kind: "user.deleted",
      message: `user ${user.username} deleted`,
      actor,
      data: { userId },
    });
  });
  await announceEvent(eventId);
}

/** Changes one's own password after checking the current one; other sessions are closed. */
export async function changePassword(
  db: PrismaClient,
  input: { userId: string; sessionId?: string; current: string; next: string; actor: TActor },
): Promise<void> {
  const user = await db.user.findUnique({ where: { id: input.userId } });
  if (!user || !(await verifyPassword(user.passwordHash, input.current))) {
    throw new BerthError("INVALID_INPUT", "The current password is wrong.", { field: "current" });
  }
  const passwordHash = await hashPassword(input.next);
  const eventId = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.deleteMany({ where: { userId: user.id, id: { not: input.sessionId } } });

    return recordEvent(tx, {
      kind: "user.password-changed",
      message: `user ${user.username} changed their password`,
      actor: input.actor,
      data: { userId: user.id },
    });
  });
  await announceEvent(eventId);
}
