import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { LABEL_APP } from "@/server/docker/labels";
import { type callerFor, lab, openTestDb, waitFor } from "@/server/test/harness";
import { engineClient } from "@/server/docker/engine";
import {
  LAB_TARGETS,
  type TTestAppSpec,
  demoWebSpec,
  labContainers,
  removeBerthVolumes,
  setUpLab,
  tearDownLab,
} from "@/server/test/lab";
import {
  CONVERGE_TIMEOUT_MS,
  type TReplicaRow,
  isReady,
  rowsOf,
  waitForReady,
  watchUntil,
} from "@/server/test/replicas";

import type { TController } from "./index";

const HTTP_TIMEOUT_MS = 3000;
/** Short, so that a test sees a lost node's replicas move within seconds. */
const FAILOVER_AFTER_MS = 2000;

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;
let webId = "";

const DEMO_WEB = demoWebSpec("web", 3);
const HEALTHY_CHECK = DEMO_WEB.healthCheck;
const WEB: TTestAppSpec = {
  ...DEMO_WEB,
  update: { maxSurge: 1, maxUnavailable: 0, autoRollback: true },
};

type THostPort = { hostIp: string; hostPort: number };

async function versionOf(row: TReplicaRow): Promise<string> {
  const [port] = row.hostPorts as THostPort[];
  if (!port) {
    throw new Error("replica publishes no port");
  }
  expect(port.hostIp.startsWith("127.")).toBe(true);
  const response = await fetch(`http://${port.hostIp}:${port.hostPort}/`, {
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });

  return ((await response.json()) as { version: string }).version;
}

/** A replica's container, as its engine's inspect reports it. */
async function inspectReplica(row: TReplicaRow | undefined) {
  const target = LAB_TARGETS.find(
    (t) => "host" in t.endpoint && t.endpoint.host === row?.node?.advertiseAddress,
  );
  if (!row?.containerId || !target) {
    throw new Error("replica has no container on a lab node");
  }
  return engineClient(target).getContainer(row.containerId).inspect();
}

async function latestRollout(appId: string) {
  return db.rollout.findFirst({ where: { appId }, orderBy: { createdAt: "desc" } });
}

beforeAll(async () => {
  db = await openTestDb();
  ({ caller, controller } = await setUpLab(db, { failoverAfterMs: FAILOVER_AFTER_MS }));
});

afterAll(async () => {
  await lab("revive", "2");
  await removeBerthVolumes();
  await tearDownLab(db, controller);
});

describe("health checks", () => {
  it("marks web's replicas healthy through its http check", async () => {
    const app = await caller.app.create(WEB);
    webId = app.id;
    const ready = await waitForReady(db, webId, 3);

    expect(ready.every((row) => row.health === "healthy")).toBe(true);
    expect(new Set(ready.map((row) => row.nodeId)).size).toBe(3);
    expect((await caller.app.get({ id: webId })).status).toBe("running");
  });

  it("passes tcp and command checks, and deletes apps with replicas through the reconciler", async () => {
    const tcp = await caller.app.create({
      ...WEB,
      name: "tcp",
      replicas: 1,
      healthCheck: { type: "tcp", port: 8080, intervalMs: 1000, timeoutMs: 500, retries: 2 },
      volumes: [{ kind: "volume", name: "data", mountPath: "/data", readOnly: false }],
      resources: { cpuRequestMillis: 250, cpuLimitMillis: 500 },
    });
    const command = await caller.app.create({
      ...WEB,
      name: "cmd",
      replicas: 1,
      healthCheck: {
        type: "command",
        command: ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"],
        intervalMs: 1000,
        timeoutMs: 500,
        retries: 2,
        startPeriodMs: 0,
      },
    });
    const [tcpRow] = await waitForReady(db, tcp.id, 1);
    const details = await inspectReplica(tcpRow);

    expect(details.Mounts).toContainEqual(
      expect.objectContaining({ Type: "volume", Name: "berth-tcp-data", Destination: "/data" }),
    );
    // The request weighs the container's CPU (1024 shares per CPU); the limit caps it.
    expect(details.HostConfig.CpuShares).toBe(256);
    expect(details.HostConfig.NanoCpus).toBe(500_000_000);
    for (const app of [tcp, command]) {
      const [row] = await waitForReady(db, app.id, 1);

      expect(row?.health).toBe("healthy");
      await caller.app.delete({ id: app.id });
    }
    for (const app of [tcp, command]) {
      await waitFor(
        `app ${app.name} removed`,
        async () => ((await db.app.count({ where: { id: app.id } })) === 0 ? true : undefined),
        { timeoutMs: CONVERGE_TIMEOUT_MS },
      );

      expect(await labContainers(`${LABEL_APP}=${app.id}`)).toHaveLength(0);
    }
  });

  it("restarts a replica whose check starts failing", async () => {
    const app = await caller.app.create({
      ...WEB,
      name: "flaky",
      replicas: 1,
      // The demo's slow endpoint answers after 600 ms: later than the 400 ms timeout.
      healthCheck: { ...HEALTHY_CHECK, path: "/cgi-bin/slow?ms=600", retries: 1 },
      update: { maxSurge: 1, maxUnavailable: 0, autoRollback: false },
    });
    const restarted = await waitFor(
      "a restart after failed checks",
      async () => {
        const [row] = await rowsOf(db, app.id);

        return row && row.restartCount > 0 ? row : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );

    expect(restarted.restartCount).toBeGreaterThan(0);
    const [event] = await caller.event.find({ kindPrefix: "replica.unhealthy", limit: 1 });

    expect(event?.message).toMatch(/flaky.*health check failed/);
    await caller.app.delete({ id: app.id });
  });
});

describe("rolling updates", () => {
  it("rolls web over to web:2 one replica at a time, never below 3 ready nor above 4", async () => {
    const app = await caller.app.update({ id: webId, spec: { ...WEB, image: "berth-demo/web:2" } });
    const number = app.revision.number;
    const seen = await watchUntil(
      db,
      "the rollout to web:2 to succeed",
      webId,
      async () => (await latestRollout(webId))?.state === "succeeded",
    );

    expect(seen.minReady).toBeGreaterThanOrEqual(3);
    expect(seen.maxContainers).toBeLessThanOrEqual(4);
    const ready = await waitForReady(db, webId, 3, number);
    for (const row of ready) {
      expect(await versionOf(row)).toBe("2");
    }
    const [event] = await caller.event.find({ kindPrefix: "app.rolloutSucceeded", limit: 1 });

    expect(event?.message).toMatch(new RegExp(`revision ${number}`));
  });

  it("rolls back by itself when the new revision fails its health check", async () => {
    const before = await caller.app.get({ id: webId });
    const broken = {
      ...WEB,
      image: "berth-demo/web:1",
      healthCheck: { ...HEALTHY_CHECK, path: "/missing" },
    };
    const failed = await caller.app.update({ id: webId, spec: broken });
    const seen = await watchUntil(db, "the automatic rollback to succeed", webId, async () => {
      const rollout = await latestRollout(webId);

      return rollout?.isAutomatic === true && rollout.state === "succeeded";
    });

    expect(seen.minReady).toBeGreaterThanOrEqual(3);
    const rollouts = await db.rollout.findMany({
      where: { appId: webId },
      orderBy: { createdAt: "asc" },
    });
    const failedRollout = rollouts.find((r) => r.toNumber === failed.revision.number);

    expect(failedRollout?.state).toBe("failed");
    expect(failedRollout?.message).toMatch(/failed its health check: HTTP 404 from \/missing/);
    const after = await caller.app.get({ id: webId });

    expect(after.revision.reason).toBe("rollback");
    expect(after.revision.createdByName).toBe("berth");
    expect(after.spec.image).toBe(before.spec.image);
    expect(after.spec.healthCheck).toMatchObject({ path: "/health" });
    // Revision N's replicas run the spec rolled back to, so they stay; only the broken go.
    const ready = await waitForReady(db, webId, 3);
    for (const row of ready) {
      expect(row.revision.number).toBe(before.revision.number);
      expect(await versionOf(row)).toBe("2");
    }
  });

  it("holds a failed update when automatic rollback is off, old replicas serving", async () => {
    const before = await caller.app.get({ id: webId });
    const held = {
      ...WEB,
      image: "berth-demo/web:2",
      healthCheck: { ...HEALTHY_CHECK, path: "/missing" },
      update: { maxSurge: 1, maxUnavailable: 0, autoRollback: false },
    };
    const failed = await caller.app.update({ id: webId, spec: held });
    await waitFor(
      "the rollout to fail",
      async () => ((await latestRollout(webId))?.state === "failed" ? true : undefined),
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );
    const rows = await rowsOf(db, webId);
    const fresh = rows.filter((row) => row.revision.number === failed.revision.number);
    const old = rows.filter((row) => row.revision.number !== failed.revision.number);

    expect(old.filter(isReady)).toHaveLength(3);
    expect(fresh).toHaveLength(1);
    expect((await caller.app.get({ id: webId })).status).toBe("updateFailed");
    // Rolling back by hand ends the hold.
    await caller.app.rollback({ id: webId, toRevision: before.revision.number });
    await waitForReady(db, webId, 3);
  });
});

describe("moving replicas", () => {
  it("moves replicas off a draining node, each successor ready before the old one stops", async () => {
    const lab3 = await db.node.findFirstOrThrow({ where: { name: "lab-3" } });
    await caller.node.drain({ id: lab3.id });
    const seen = await watchUntil(db, "no replica on lab-3", webId, async () => {
      const rows = await rowsOf(db, webId);

      return rows.length === 3 && rows.every((row) => row.nodeId !== lab3.id && isReady(row));
    });

    expect(seen.minReady).toBeGreaterThanOrEqual(3);
    await caller.node.uncordon({ id: lab3.id });
  });

  it("places replicas elsewhere when a node stays unreachable, and cleans up when it returns", async () => {
    const lab2 = await db.node.findFirstOrThrow({ where: { name: "lab-2" } });
    const onLab2 = (await rowsOf(db, webId)).filter((row) => row.nodeId === lab2.id);

    expect(onLab2.length).toBeGreaterThan(0);
    await lab("kill-node", "2");
    await waitFor(
      "web's replicas off lab-2",
      async () => {
        const rows = await rowsOf(db, webId);

        return rows.length === 3 && rows.every((row) => row.nodeId !== lab2.id && isReady(row))
          ? true
          : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );
    await lab("revive", "2");
    // Its old containers are Berth's but no replica's any more: removed once it is back.
    await waitFor(
      "lab-2's stale containers removed",
      async () => {
        const containers = await labContainers(`${LABEL_APP}=${webId}`);

        return containers.length === 3 ? true : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );
  });
});
