/**
 * Berth's supervisor: checks the environment, opens the database (embedded PGlite in the data
 * directory unless DATABASE_URL names a server), applies migrations, and runs the roles named
 * in BERTH_ROLES in this one process. Each role's modules load only when it runs, so a
 * gateway-only process holds neither Next.js nor the controller: a smaller heap, shorter
 * garbage-collection pauses on the request path.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";

import { SYSTEM_ACTOR } from "@/server/auth/principal";
import { CHANGE_CHANNEL, connectBusToPostgres, disconnectBus } from "@/server/bus";
import { createPrismaClient, setDb } from "@/server/db/client";
import type { PrismaClient } from "@/server/db/generated/client";
import { applyMigrations } from "@/server/db/migrate";
import { EnvError, type TEnv, parseEnv } from "@/server/env";
import { logger } from "@/server/logger";
import { loadSecretKey, setSecretKey } from "@/server/security/secrets";

const SHUTDOWN_TIMEOUT_MS = 10_000;
const PG_POOL_MAX = 10;

type TStopper = () => Promise<void>;

/** On a first start with no nodes, registers this host's Docker engine when it has one. */
async function addLocalEngine(db: PrismaClient, env: TEnv): Promise<void> {
  const log = logger().child({ step: "local-engine" });
  if (!env.BERTH_AUTO_ADD_LOCAL || !existsSync(env.BERTH_LOCAL_DOCKER_SOCKET)) {
    return;
  }
  if ((await db.node.count()) > 0) {
    return;
  }
  try {
    const { addNode } = await import("@/server/nodes/service");
    const endpoint = `unix://${env.BERTH_LOCAL_DOCKER_SOCKET}`;
    const node = await addNode(db, { name: "local", endpoint, labels: {} }, SYSTEM_ACTOR);
    log.info({ nodeId: node.id }, "local docker engine added");
  } catch (error) {
    log.info({ err: error }, "local docker engine not added");
  }
}

async function openDatabase(env: TEnv, stoppers: TStopper[]): Promise<PrismaClient> {
  const log = logger();
  let url = env.DATABASE_URL;
  if (!url) {
    const dataDir = path.join(env.BERTH_DATA_DIR, "pglite");
    const { startEmbeddedDatabase } = await import("@/server/db/embedded");
    const embedded = await startEmbeddedDatabase({ dataDir });
    stoppers.push(() => embedded.stop());
    url = embedded.url;
    log.info({ dataDir }, "embedded database started");
  }
  await applyMigrations(url);
  log.info("migrations applied");
  // The embedded server takes one connection at a time, so its pool holds one.
  const db = createPrismaClient(url, { poolMax: env.DATABASE_URL ? PG_POOL_MAX : 1 });
  stoppers.push(() => db.$disconnect());
  setDb(db);
  if (env.DATABASE_URL) {
    await connectBusToPostgres(url, async (payload) => {
      await db.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, ${payload})`;
    });
    stoppers.push(disconnectBus);
  }

  return db;
}

async function main(): Promise<void> {
  const env = parseEnv();
  const log = logger();
  const stoppers: TStopper[] = [];
  await mkdir(env.BERTH_DATA_DIR, { recursive: true });
  setSecretKey(await loadSecretKey(env.BERTH_DATA_DIR, env.BERTH_SECRET_KEY));
  const db = await openDatabase(env, stoppers);
  if (env.BERTH_ROLES.includes("controller")) {
    await addLocalEngine(db, env);
    const { startController } = await import("@/server/controller");
    const controller = startController({
      db,
      log,
      heartbeatIntervalMs: env.BERTH_HEARTBEAT_INTERVAL_MS,
      nodeTimeoutMs: env.BERTH_NODE_TIMEOUT_MS,
      failoverAfterMs: env.BERTH_FAILOVER_AFTER_MS,
      canPullImages: env.BERTH_PULL_IMAGES,
    });
    stoppers.push(controller.stop);
  }
  if (env.BERTH_ROLES.includes("gateway")) {
    const { startGateway } = await import("@/server/gateway");
    const gateway = await startGateway({
      db,
      log,
      address: env.BERTH_GATEWAY_ADDRESS,
      portRange: env.BERTH_GATEWAY_PORTS,
    });
    stoppers.push(gateway.stop);
  }
  if (env.BERTH_ROLES.includes("web")) {
    const { startWebServer } = await import("@/server/web/server");
    const web = await startWebServer({ db, env, log, projectDir: process.cwd() });
    stoppers.push(web.close);
    process.stdout.write(`Berth is running at ${web.url}\n`);
  }
  log.info({ roles: env.BERTH_ROLES }, "berth started");

  let isStopping = false;
  const shutdown = (signal: string) => {
    if (isStopping) {
      return;
    }
    isStopping = true;
    log.info({ signal }, "shutting down");
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    // Stop in reverse order of start: web, gateway, controller, database.
    void (async () => {
      for (const stop of stoppers.reverse()) {
        await stop().catch((error: unknown) => log.warn({ err: error }, "stop step failed"));
      }
      process.exit(0);
    })();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) {
    process.stderr.write(`Berth cannot start: ${error.message}\n`);
    process.exit(2);
  }
  logger().fatal({ err: error }, "berth failed to start");
  process.exit(1);
});
