/**
 * Shared set-up for integration tests: a real PostgreSQL database, real lab engines, and
 * callers that go through the same tRPC router, middleware and error formatting as browsers.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

import { createTRPCClient, httpLink } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import superjson from "superjson";

import { createHttpContext } from "@/server/api/context";
import { type AppRouter, appRouter, createCaller } from "@/server/api/root";
import { MAX_REQUEST_BYTES, type TContext } from "@/server/api/trpc";
import type { TPrincipal, TRole } from "@/server/auth/principal";
import { signIn } from "@/server/auth/service";
import { hashPassword } from "@/server/auth/crypto";
import { createPrismaClient, setDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { type TEnv, parseEnv } from "@/server/env";
import { logger } from "@/server/logger";
import { setSecretKey } from "@/server/security/secrets";

import { TEST_DATABASE_URL } from "./config";

const execFileAsync = promisify(execFile);
const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");

export const TEST_PASSWORD = "correct horse battery";

/** Every table a test may write to; emptied before each test file. */
const TABLES = [
  "Event",
  "Node",
  "Session",
  "ApiToken",
  "SignInAttempt",
  "User",
  "Lease",
  "App",
  "Revision",
  "Replica",
  "Rollout",
  "Repack",
  "StatSample",
  "LogLine",
  "LogCursor",
  "AlertRule",
  "Alert",
  "Webhook",
  "WebhookDelivery",
  "GatewayStat",
  "WebhookAttempt",
  "GatewayProcess",
];

export function testEnv(overrides: Record<string, string> = {}): TEnv {
  return parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: TEST_DATABASE_URL,
    BERTH_AUTO_ADD_LOCAL: "false",
    BERTH_DATA_DIR: "/tmp/berth-test-data",
    // The lab has no registry: dry runs see what the test controller (no pulls) would do.
    BERTH_PULL_IMAGES: "false",
    ...overrides,
  });
}

/** Opens the test database and empties every table, so each file starts clean. */
export async function openTestDb(): Promise<PrismaClient> {
  setSecretKey(randomBytes(32));
  const db = createPrismaClient(TEST_DATABASE_URL, { poolMax: 5 });
  setDb(db);
  await db.$executeRawUnsafe(`TRUNCATE ${TABLES.map((table) => `"${table}"`).join(", ")} CASCADE`);

  return db;
}

/** A user with the given role, as the principal a session would resolve to. */
export async function createPrincipal(db: PrismaClient, role: TRole): Promise<TPrincipal> {
  const username = `${role}-${randomBytes(3).toString("hex")}`;
  const user = await db.user.create({
    data: { username, role, passwordHash: await hashPassword(TEST_PASSWORD) },
  });

  return { kind: "user", userId: user.id, name: user.username, role, sessionId: "test-session" };
}

export function contextFor(db: PrismaClient, principal: TPrincipal | null): TContext {
  return {
    db,
    env: testEnv(),
    principal,
    ip: "127.0.0.1",
    log: logger(),
    setSessionCookie: () => undefined,
    clearSessionCookie: () => undefined,
  };
}

/** A server-side caller acting as `principal` (or anonymous). */
export function callerFor(db: PrismaClient, principal: TPrincipal | null) {
  return createCaller(contextFor(db, principal));
}

export type TTestApi = {
  url: string;
  /** A tRPC client over HTTP, sending the given headers (a session cookie or a bearer). */
  client: (headers?: Record<string, string>) => ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Signs in through the real sign-in path and returns the session cookie header. */
  signInCookie: (username: string, password?: string) => Promise<string>;
  close: () => Promise<void>;
};

/** The real tRPC HTTP handler on a loopback port. */
export async function startTestApi(db: PrismaClient): Promise<TTestApi> {
  const env = testEnv();
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    maxBodySize: MAX_REQUEST_BYTES,
    createContext: ({ req, res }) => createHttpContext({ db, env }, req, res),
  });
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;

  return {
    url,
    client: (headers = {}) =>
      createTRPCClient<AppRouter>({
        links: [httpLink({ url, transformer: superjson, headers })],
      }),
    signInCookie: async (username, password = TEST_PASSWORD) => {
      const grant = await signIn(db, { username, password, ip: "127.0.0.1", ttlHours: 1 });

      return `berth_session=${grant.token}`;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs scripts/lab.sh with the given arguments (kill-node, revive, status...). */
export async function lab(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(
    "bash",
    [path.join(PROJECT_DIR, "scripts/lab.sh"), ...args],
    {
      timeout: 120_000,
    },
  );

  return stdout;
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The TRPCError a call is refused with; fails the test when the call succeeds instead. */
export async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(error instanceof TRPCError)) {
    throw new Error(`expected a refusal, got ${String(error)}`);
  }

  return error;
}
