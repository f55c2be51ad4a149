/**
 * The app under load: a test controller in this process, as in the lab tests, with replicas
 * of berth-demo/web:1 on the lab and a fixed service port; the gateway runs elsewhere (its own
 * process) and follows the app's `lb` through the database and NOTIFY.
 */
import type { TLoadBalancing } from "@/server/apps/spec";
import { CHANGE_CHANNEL, connectBusToPostgres, disconnectBus } from "@/server/bus";
import type { TController } from "@/server/controller";
import type { PrismaClient } from "@/server/db/generated/client";
import type { TBackend } from "@/server/gateway/routes";
import { TEST_DATABASE_URL } from "@/server/test/config";
import migrateTestDb from "@/server/test/global-setup";
import { openTestDb } from "@/server/test/harness";
import {
  type TTestAppSpec,
  demoWebSpec,
  removeAllBerthContainers,
  setUpLab,
  tearDownLab,
} from "@/server/test/lab";
import { rowsOf, waitForReady } from "@/server/test/replicas";

export type TLabApp = {
  db: PrismaClient;
  appId: string;
  /** Where the gateway serves the app. */
  serviceUrl: string;
  /** The replicas at their published 127.0.0.K ports, in slot order. */
  backends: TBackend[];
  /** Changes the app's balancing through the API (a new revision; no replica replaced). */
  setLb: (lb: TLoadBalancing) => Promise<void>;
  stop: () => Promise<void>;
};

function webSpec(replicas: number, servicePort: number) {
  return {
    ...demoWebSpec("bench-web", replicas),
    update: { maxSurge: 1, maxUnavailable: 0, autoRollback: true },
    lb: { policy: "round-robin", servicePort },
  } satisfies TTestAppSpec;
}

/** The replicas' published addresses, from their rows. */
async function backendsOf(db: PrismaClient, appId: string): Promise<TBackend[]> {
  const rows = await rowsOf(db, appId);

  return rows.map((row) => {
    const [port] = row.hostPorts as { hostIp: string; hostPort: number }[];
    if (!port || !row.nodeId) {
      throw new Error(`replica ${row.slot} publishes no port`);
    }

    return {
      replicaId: row.id,
      slot: row.slot,
      nodeId: row.nodeId,
      host: port.hostIp,
      port: port.hostPort,
      weight: 1,
    };
  });
}

/**
 * Starts the controller and deploys `replicas` replicas; `stop` removes them and closes
 * everything. Changes go out through NOTIFY, so a gateway in another process hears them.
 * Leaves the lab clean if it fails half way.
 */
export async function startLabApp(replicas: number, servicePort: number): Promise<TLabApp> {
  await migrateTestDb();
  const db: PrismaClient = await openTestDb();
  await connectBusToPostgres(TEST_DATABASE_URL, async (payload) => {
    await db.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, ${payload})`;
  });
  let controller: TController | undefined;
  const stop = async () => {
    if (controller) {
      await tearDownLab(db, controller);
    } else {
      await removeAllBerthContainers();
      await db.$disconnect();
    }
    await disconnectBus();
  };
  try {
    const lab = await setUpLab(db);
    controller = lab.controller;
    const spec = webSpec(replicas, servicePort);
    const app = await lab.caller.app.create(spec);
    await waitForReady(db, app.id, replicas);
    let current = JSON.stringify(spec.lb);
    const setLb = async (lb: TLoadBalancing) => {
      const next = { ...lb, servicePort };
      // The same lb again would be refused as a change that changes nothing.
      if (JSON.stringify(next) !== current) {
        await lab.caller.app.update({ id: app.id, spec: { ...spec, lb: next } });
        current = JSON.stringify(next);
      }
    };

    return {
      db,
      appId: app.id,
      serviceUrl: `http://127.0.0.1:${servicePort}`,
      backends: await backendsOf(db, app.id),
      setLb,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
