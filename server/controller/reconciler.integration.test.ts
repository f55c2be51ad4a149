import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { createReplicaContainer, engineClient } from "@/server/docker/engine";
import { installationId } from "@/server/db/installation";
import {
  LABEL_APP,
  LABEL_EPOCH,
  LABEL_INSTALLATION,
  LABEL_REPLICA,
  LABEL_REVISION,
} from "@/server/docker/labels";
import { type callerFor, openTestDb, waitFor } from "@/server/test/harness";
import {
  LAB_TARGETS,
  labContainers,
  setUpLab,
  startTestController,
  tearDownLab,
} from "@/server/test/lab";

import type { TController } from "./index";
import { containerNameOf } from "./container-spec";

const CONVERGE_TIMEOUT_MS = 45_000;
/** Longer than any test: no inventory read overwrites one a test wrote. */
const STALE_INVENTORY_MS = 10 * 60_000;
const HTTP_TIMEOUT_MS = 3000;
const MIB_64 = 64 * 1024 * 1024;

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;
let webId = "";

async function currentRevisionId(appId: string): Promise<string> {
  const app = await db.app.findUniqueOrThrow({ where: { id: appId } });

  return app.currentRevisionId ?? "";
}

/** Waits until exactly `count` replicas run (of `revisionId` if given), and no other rows exist. */
async function waitForRunning(appId: string, count: number, revisionId?: string) {
  return waitFor(
    `${count} running replicas`,
    async () => {
      const rows = await db.replica.findMany({
        where: { appId },
        include: { node: true },
        orderBy: { slot: "asc" },
      });
      const running = rows.filter(
        (r) => r.state === "running" && (revisionId === undefined || r.revisionId === revisionId),
      );

      return rows.length === count && running.length === count ? running : undefined;
    },
    { timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: 100 },
  );
}

type THostPort = { containerPort: number; protocol: string; hostIp: string; hostPort: number };

/** GET / on the replica's published port: the demo answers with its hostname and version. */
async function askReplica(hostPorts: unknown) {
  const [port] = hostPorts as THostPort[];
  if (!port) {
    throw new Error("replica publishes no port");
  }
  expect(port.hostIp.startsWith("127.")).toBe(true);
  const response = await fetch(`http://${port.hostIp}:${port.hostPort}/`, {
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });

  return (await response.json()) as { host: string; version: string };
}

async function webContainerCount(): Promise<number> {
  return (await labContainers(`${LABEL_APP}=${webId}`)).length;
}

/**
 * Puts the cluster as a leader that crashed between creating a replica's container and
 * starting it would leave it: slot 1's row starting on lab-3, a created container of its name.
 */
async function leaveUnstartedContainer(): Promise<void> {
  const revisionId = await currentRevisionId(webId);
  const node = await db.node.findFirstOrThrow({ where: { name: "lab-3" } });
  const target = LAB_TARGETS[2];
  if (!target) {
    throw new Error("no lab-3");
  }
  const replica = await db.replica.create({
    data: { appId: webId, revisionId, slot: 1, nodeId: node.id, state: "starting" },
  });
  await createReplicaContainer(engineClient(target), target, {
    name: containerNameOf("web", 1, replica.id),
    image: "berth-demo/web:2",
    command: [],
    args: [],
    env: [],
    labels: {
      [LABEL_APP]: webId,
      [LABEL_REVISION]: revisionId,
      [LABEL_REPLICA]: replica.id,
      [LABEL_INSTALLATION]: await installationId(db),
    },
    ports: [{ containerPort: 8080, protocol: "tcp", hostIp: node.advertiseAddress }],
  });
}

beforeAll(async () => {
  db = await openTestDb();
  ({ caller, controller } = await setUpLab(db));
});

afterAll(async () => {
  await tearDownLab(db, controller);
});

describe("reconciler on the lab", () => {
  it("runs 3 replicas of web on 3 distinct nodes, each answering on its node address", async () => {
    const startedAt = Date.now();
    const app = await caller.app.create({
      name: "web",
      image: "berth-demo/web:1",
      replicas: 3,
      ports: [{ containerPort: 8080, protocol: "tcp" }],
      placement: { strategy: "spread" },
    });
    webId = app.id;
    const running = await waitForRunning(webId, 3);
    console.log(`3 replicas running ${Date.now() - startedAt} ms after app.create`);

    expect(new Set(running.map((r) => r.nodeId)).size).toBe(3);
    for (const replica of running) {
      const answer = await askReplica(replica.hostPorts);

      expect(answer.host).toBe(replica.containerId?.slice(0, 12));
      expect(answer.version).toBe("1");
      expect((replica.hostPorts as THostPort[])[0]?.hostIp).toBe(replica.node?.advertiseAddress);
    }
    const containers = await labContainers(`${LABEL_APP}=${webId}`);

    expect(containers).toHaveLength(3);
    for (const container of containers) {
      expect(container.name).toMatch(/^berth-web-[0-2]-[0-9a-f]{8}$/);
      expect(container.labels[LABEL_REVISION]).toBe(await currentRevisionId(webId));
      expect(Number(container.labels[LABEL_EPOCH])).toBeGreaterThanOrEqual(1);
    }
    const started = await caller.event.find({ kindPrefix: "replica.started", limit: 10 });

    expect(started.length).toBeGreaterThanOrEqual(3);
  });

  it("scales to 5, then to 1, removing the others' containers from the engines", async () => {
    const before = await db.replica.findMany({ where: { appId: webId } });
    await caller.app.scale({ id: webId, replicas: 5 });
    const five = await waitForRunning(webId, 5);

    expect(await webContainerCount()).toBe(5);
    // A scale changes the count only: the replicas that ran keep running, untouched.
    for (const replica of before) {
      expect(five.find((r) => r.id === replica.id)?.containerId).toBe(replica.containerId);
    }

    await caller.app.scale({ id: webId, replicas: 1 });
    const [last] = await waitForRunning(webId, 1);

    expect(last?.slot).toBe(0);
    await waitFor("4 containers gone", async () =>
      (await webContainerCount()) === 1 ? true : undefined,
    );
  });

  it("rolls the running replica over to web:2", async () => {
    const view = await caller.app.get({ id: webId });
    await caller.app.update({ id: webId, spec: { ...view.spec, image: "berth-demo/web:2" } });
    const revisionId = await currentRevisionId(webId);
    const [replica] = await waitForRunning(webId, 1, revisionId);

    expect((await askReplica(replica?.hostPorts)).version).toBe("2");
    await waitFor("old container gone", async () =>
      (await webContainerCount()) === 1 ? true : undefined,
    );
  });

  it("converges with no duplicates when a new leader takes over a half-done deploy", async () => {
    // The leader goes away; the deploy is asked for and half done as if it crashed mid-create.
    await controller.stop();
    await caller.app.scale({ id: webId, replicas: 3 });
    await leaveUnstartedContainer();
    controller = startTestController(db);
    await waitFor("new leader", () => (controller.isLeader() ? true : undefined), {
      timeoutMs: 10_000,
    });
    const running = await waitForRunning(webId, 3);

    expect(await webContainerCount()).toBe(3);
    for (const replica of running) {
      expect((await askReplica(replica.hostPorts)).host).toBe(replica.containerId?.slice(0, 12));
    }
  });

  it("converges to exactly 3 containers after a stop right in the middle of a scale", async () => {
    await caller.app.scale({ id: webId, replicas: 1 });
    await waitForRunning(webId, 1);
    await caller.app.scale({ id: webId, replicas: 3 });
    await waitFor("a deploy under way", async () =>
      (await db.replica.count({ where: { appId: webId } })) > 1 ? true : undefined,
    );
    await controller.stop();
    controller = startTestController(db);
    await waitForRunning(webId, 3);

    expect(await webContainerCount()).toBe(3);
  });

  it("removes a container with Berth labels whose replica the database does not know", async () => {
    const [target] = LAB_TARGETS;
    if (!target) {
      throw new Error("no lab node");
    }
    const replicaId = randomUUID();
    const orphan = await createReplicaContainer(engineClient(target), target, {
      name: containerNameOf("web", 9, replicaId),
      image: "berth-demo/web:1",
      command: [],
      args: [],
      env: [],
      labels: {
        [LABEL_APP]: webId,
        [LABEL_REVISION]: randomUUID(),
        [LABEL_REPLICA]: replicaId,
        [LABEL_INSTALLATION]: await installationId(db),
      },
      ports: [],
    });
    await waitFor(
      "orphan removed",
      async () => {
        const left = await labContainers(`${LABEL_REPLICA}=${replicaId}`);

        return left.length === 0 ? true : undefined;
      },
      { timeoutMs: 15_000 },
    );
    const [event] = await caller.event.find({ kindPrefix: "container.orphanRemoved", limit: 1 });

    expect(event?.message).toContain(orphan.slice(0, 12));
    expect(await webContainerCount()).toBe(3);
  });

  it("leaves alone a Berth container of another installation", async () => {
    const target = LAB_TARGETS[0]!;
    const foreignReplica = randomUUID();
    const foreign = await createReplicaContainer(engineClient(target), target, {
      name: containerNameOf("other", 0, foreignReplica),
      image: "berth-demo/web:1",
      command: [],
      args: [],
      env: [],
      labels: {
        [LABEL_APP]: randomUUID(),
        [LABEL_REVISION]: randomUUID(),
        [LABEL_REPLICA]: foreignReplica,
        [LABEL_INSTALLATION]: "another-berth",
      },
      ports: [],
    });
    try {
      // Several passes of the reconciler: a container of ours like this would be gone by now.
      await new Promise((resolve) => setTimeout(resolve, 3000));

      expect(await labContainers(`${LABEL_REPLICA}=${foreignReplica}`)).toHaveLength(1);
    } finally {
      await engineClient(target).getContainer(foreign).remove({ force: true });
    }
  });

  it("places a binpack app where its dry run said, restarts off and limits set", async () => {
    const spec = {
      name: "packed",
      image: "berth-demo/web:1",
      replicas: 2,
      resources: { cpuRequestMillis: 100, memoryRequestBytes: MIB_64, memoryLimitBytes: MIB_64 },
      placement: { strategy: "binpack" as const },
    };
    // Identical lab nodes tie under binpack: the preview and the controller break ties alike.
    const preview = await caller.app.dryRun({ spec });

    expect(preview.unplaced).toHaveLength(0);
    const packed = await caller.app.create(spec);
    const running = await waitForRunning(packed.id, 2);
    const nodeNamesOf = (names: (string | undefined)[]) => names.map(String).sort();

    expect(nodeNamesOf(running.map((replica) => replica.node?.name))).toEqual(
      nodeNamesOf(preview.placements.map((placement) => placement.nodeName)),
    );
    for (const replica of running) {
      const target = LAB_TARGETS[Number(replica.node?.name.replace("lab-", "")) - 1];
      if (!target || !replica.containerId) {
        throw new Error(`replica ${replica.slot} has no lab node or container`);
      }
      const inspected = await engineClient(target).getContainer(replica.containerId).inspect();

      expect(inspected.HostConfig.RestartPolicy?.Name).toBe("no");
      expect(inspected.HostConfig.Memory).toBe(MIB_64);
    }
    await caller.app.delete({ id: packed.id });
    await waitFor("packed containers removed", async () =>
      (await labContainers(`${LABEL_APP}=${packed.id}`)).length === 0 ? true : undefined,
    );
  });

  it("leaves replicas of an image no node holds unplaced, saying why", async () => {
    const bad = await caller.app.create({ name: "bad", image: "berth-demo/nope:1", replicas: 2 });
    const unplaced = await waitFor(
      "2 unplaced replicas",
      async () => {
        const rows = await db.replica.findMany({ where: { appId: bad.id, state: "unplaced" } });

        return rows.length === 2 ? rows : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );
    for (const replica of unplaced) {
      expect(replica.lastError).toBe(
        "0 of 3 nodes fit: 3 lack image berth-demo/nope:1 (pulling is off)",
      );
    }
    expect(await labContainers(`${LABEL_APP}=${bad.id}`)).toHaveLength(0);

    // The loop still works: scaling the broken app to 0 removes its rows.
    await caller.app.scale({ id: bad.id, replicas: 0 });
    await waitFor("bad rows removed", async () =>
      (await db.replica.count({ where: { appId: bad.id } })) === 0 ? true : undefined,
    );
    expect(await webContainerCount()).toBe(3);
  });

  it("fails a replica whose image left its node after the inventory was read", async () => {
    // A leader that reads inventories rarely, so the stale copy below stays as written.
    await controller.stop();
    const restartedAt = new Date();
    controller = startTestController(db, { inventoryIntervalMs: STALE_INVENTORY_MS });
    await waitFor("the new leader's first inventory read", async () =>
      (await db.node.count({ where: { inventoryAt: { lt: restartedAt } } })) === 0
        ? true
        : undefined,
    );
    // The stored inventory says every node has the image; the engines do not (a stale read).
    await db.node.updateMany({ data: { images: { push: "berth-demo/gone:1" } } });
    const gone = await caller.app.create({ name: "gone", image: "berth-demo/gone:1" });
    const [failed] = await waitFor(
      "a failed replica",
      async () => {
        const rows = await db.replica.findMany({ where: { appId: gone.id, state: "failed" } });

        return rows.length === 1 ? rows : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );

    expect(failed?.lastError).toMatch(
      /^IMAGE_NOT_FOUND: image berth-demo\/gone:1 is not on node lab-\d, and pulling is turned off/,
    );
    const [event] = await caller.event.find({ kindPrefix: "replica.failed", limit: 1 });

    expect(event?.severity).toBe("error");
    expect(await labContainers(`${LABEL_APP}=${gone.id}`)).toHaveLength(0);
    await caller.app.delete({ id: gone.id });
  });
});
