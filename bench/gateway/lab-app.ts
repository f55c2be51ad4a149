/**
 * The app under load: a test controller and Berth's gateway in this process, as in
 * server/gateway/gateway.integration.test.ts, with replicas of berth-demo/web:1 on the lab.
 */
import type { TAppSpec } from "@/server/apps/spec";
import type { TController } from "@/server/controller";
import type { PrismaClient } from "@/server/db/generated/client";
import { type TGateway, startGateway } from "@/server/gateway";
import type { TBackend } from "@/server/gateway/routes";
import { logger } from "@/server/logger";
import { openTestDb, waitFor } from "@/server/test/harness";
import { removeAllBerthContainers, setUpLab, tearDownLab } from "@/server/test/lab";
import { waitForReady } from "@/server/test/replicas";

const PORT_RANGE = { min: 20600, max: 20699 };
const ROUTE_WAIT_MS = 30_000;

export type TLabApp = {
  /** The gateway's service address for the app. */
  serviceUrl: string;
  /** The replicas as the gateway routes to them (published 127.0.0.K ports). */
  backends: TBackend[];
  stop: () => Promise<void>;
};

function webSpec(replicas: number): Partial<TAppSpec> & { name: string; image: string } {
  return {
    name: "bench-web",
    image: "berth-demo/web:1",
    replicas,
    ports: [{ containerPort: 8080, protocol: "tcp" }],
    placement: { strategy: "spread", constraints: [], antiAffinity: [] },
    healthCheck: {
      type: "http",
      path: "/health",
      port: 8080,
      intervalMs: 1000,
      timeoutMs: 500,
      retries: 2,
      startPeriodMs: 0,
    },
    update: { maxSurge: 1, maxUnavailable: 0, autoRollback: true },
  };
}

/**
 * Starts the controller and the gateway and deploys `replicas` replicas; `stop` removes them
 * and closes everything. Leaves the lab clean if it fails half way.
 */
export async function startLabApp(replicas: number): Promise<TLabApp> {
  const db: PrismaClient = await openTestDb();
  let controller: TController | undefined;
  let gateway: TGateway | undefined;
  const stop = async () => {
    await gateway?.stop();
    if (controller) {
      await tearDownLab(db, controller);
    } else {
      await removeAllBerthContainers();
      await db.$disconnect();
    }
  };
  try {
    const lab = await setUpLab(db);
    controller = lab.controller;
    gateway = await startGateway({
      db,
      log: logger(),
      address: "127.0.0.1",
      portRange: PORT_RANGE,
    });
    const app = await lab.caller.app.create(webSpec(replicas));
    await waitForReady(db, app.id, replicas);
    const started = gateway;
    const route = await waitFor(
      `${replicas} backends in the gateway`,
      async () => {
        await started.refresh();
        const now = started.routeOf(app.id);

        return now?.backends.length === replicas ? now : undefined;
      },
      { timeoutMs: ROUTE_WAIT_MS, intervalMs: 200 },
    );

    return {
      serviceUrl: `http://127.0.0.1:${route.servicePort}`,
      backends: route.backends,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
