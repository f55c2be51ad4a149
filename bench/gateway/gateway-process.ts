/**
 * Berth's gateway as it is deployed: its own process, started as `npm start` starts Berth
 * (`node --import tsx server/main.ts`, no wrapper process) with BERTH_ROLES=gateway, on the
 * test database, learning routes through PostgreSQL NOTIFY.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import type { PrismaClient } from "@/server/db/generated/client";
import { liveGateways } from "@/server/gateway/heartbeat";
import { TEST_DATABASE_URL } from "@/server/test/config";
import { waitFor } from "@/server/test/harness";

import { pinned } from "./workers";

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export type TGatewayProcess = { pid: number | undefined; stop: () => Promise<void> };

export async function startGatewayProcess(
  db: PrismaClient,
  ports: string,
  cpu?: string,
): Promise<TGatewayProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "berth-bench-gateway-"));
  const { command, args } = pinned(cpu, process.execPath, ["--import", "tsx", "server/main.ts"]);
  const child: ChildProcess = spawn(command, args, {
    env: {
      ...process.env,
      DATABASE_URL: TEST_DATABASE_URL,
      BERTH_ROLES: "gateway",
      BERTH_GATEWAY_ADDRESS: "127.0.0.1",
      BERTH_GATEWAY_PORTS: ports,
      BERTH_DATA_DIR: dataDir,
      BERTH_AUTO_ADD_LOCAL: "false",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      "the gateway process's heartbeat",
      async () => ((await liveGateways(db)).length > 0 ? true : undefined),
      { timeoutMs: START_TIMEOUT_MS, intervalMs: 100 },
    );
  } catch (error) {
    await stop();
    throw error;
  }

  return { pid: child.pid, stop };
}
