import os from "node:os";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TLiveMessage } from "@/server/api/routers/live";
import type { PrismaClient } from "@/server/db/generated/client";
import { parseEndpoint } from "@/server/docker/endpoint";
import { engineClient } from "@/server/docker/engine";
import { LABEL_REPLICA } from "@/server/docker/labels";
import { labEndpoint } from "@/server/test/config";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";

let db: PrismaClient;
let operator: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;

const DEMO_CONTAINER = "berth-test-demo-web";

function labDocker(k: number) {
  const parsed = parseEndpoint(labEndpoint(k));
  if (!parsed.ok) {
    throw new Error(parsed.message);
  }

  return engineClient({ endpoint: parsed.endpoint });
}

async function removeDemoContainer(k: number) {
  await labDocker(k)
    .getContainer(DEMO_CONTAINER)
    .remove({ force: true })
    .catch(() => undefined);
}

beforeAll(async () => {
  db = await openTestDb();
  operator = callerFor(db, await createPrincipal(db, "operator"));
  viewer = callerFor(db, await createPrincipal(db, "viewer"));
  await removeDemoContainer(1);
});

afterAll(async () => {
  await removeDemoContainer(1);
  await db.$disconnect();
});

describe("nodes on the lab", () => {
  it("adds three lab nodes and reads their real capacity", async () => {
    for (const k of [1, 2, 3]) {
      await operator.node.create({
        name: `lab-${k}`,
        endpoint: labEndpoint(k),
        labels: { k: `${k}` },
      });
    }
    const nodes = await viewer.node.find();

    expect(nodes.map((node) => node.name)).toEqual(["lab-1", "lab-2", "lab-3"]);
    for (const node of nodes) {
      // The lab's engines run on this machine, so they report its CPUs and memory.
      expect(node.cpus).toBe(os.cpus().length);
      expect(Math.abs(node.memoryBytes - os.totalmem()) / os.totalmem()).toBeLessThan(0.02);
      expect(node.status).toBe("ready");
      expect(node.engineVersion).toMatch(/^\d+\.\d+/);
      expect(node.apiVersion).toMatch(/^1\.\d+$/);
      expect(node.advertiseAddress).toBe(node.endpoint.slice("tcp://".length).split(":")[0]);
    }
    const events = await viewer.event.find({ kindPrefix: "node.added", limit: 10 });

    expect(events).toHaveLength(3);
    expect(events[0]?.actorType).toBe("user");
  });

  it("refuses the same endpoint twice, under another name", async () => {
    await expect(
      operator.node.create({ name: "lab-1-again", endpoint: labEndpoint(1), labels: {} }),
    ).rejects.toThrow(/already registered as node lab-1/);
  });

  it("lists every container on a node, Berth's or not, with ports", async () => {
    const docker = labDocker(1);
    const container = await docker.createContainer({
      name: DEMO_CONTAINER,
      Image: "berth-demo/web:1",
      Labels: { [LABEL_REPLICA]: "test-replica" },
      ExposedPorts: { "8080/tcp": {} },
      HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.2", HostPort: "18181" }] } },
    });
    await container.start();
    const [node] = await viewer.node.find();
    const detail = await viewer.node.get({ id: node!.id });
    const listed = detail.containers.find((item) => item.name === DEMO_CONTAINER);

    expect(detail.containersError).toBeNull();
    expect(listed).toMatchObject({ image: "berth-demo/web:1", state: "running", isBerth: true });
    expect(listed?.ports).toContainEqual(
      expect.objectContaining({ privatePort: 8080, publicPort: 18181, ip: "127.0.0.2" }),
    );
  });

  it("refuses to remove a node while a Berth replica runs there", async () => {
    const [node] = await viewer.node.find();

    await expect(operator.node.delete({ id: node!.id })).rejects.toThrow(/move them away first/);
    expect(await db.node.count()).toBe(3);
  });

  it("refuses to remove a node that the database says holds a replica", async () => {
    const [, node] = await viewer.node.find();
    const app = await operator.app.create({ name: "holder", image: "berth-demo/web:1" });
    const stored = await db.app.findUniqueOrThrow({ where: { id: app.id } });
    await db.replica.create({
      data: {
        appId: app.id,
        revisionId: stored.currentRevisionId!,
        slot: 0,
        nodeId: node!.id,
        state: "running",
      },
    });

    await expect(operator.node.delete({ id: node!.id })).rejects.toThrow(
      /1 Berth replica\(s\) still run on lab-2/,
    );
    await db.replica.deleteMany({ where: { appId: app.id } });
    await operator.app.delete({ id: app.id });
  });

  it("edits labels, cordons, drains and uncordons, each audited", async () => {
    const [, node] = await viewer.node.find();
    const id = node!.id;
    await operator.node.update({ id, labels: { zone: "eu", disk: "ssd" } });

    expect((await operator.node.cordon({ id })).status).toBe("cordoned");
    expect((await operator.node.drain({ id })).status).toBe("draining");
    expect((await operator.node.uncordon({ id })).status).toBe("ready");
    const detail = await viewer.node.get({ id });

    expect(detail.node.labels).toEqual({ zone: "eu", disk: "ssd" });
    const kinds = (await viewer.event.find({ nodeId: id, limit: 10 })).map((event) => event.kind);

    expect(kinds).toEqual(
      expect.arrayContaining(["node.updated", "node.cordoned", "node.draining", "node.uncordoned"]),
    );
  });

  it("pushes node changes to watchers", async () => {
    const stream = await viewer.node.watch();
    const iterator = stream[Symbol.asyncIterator]();
    const next = iterator.next();
    const [, node] = await viewer.node.find();
    await operator.node.cordon({ id: node!.id });
    const pushed = await next;
    await iterator.return?.();

    expect(pushed.value).toMatchObject({
      type: "upsert",
      node: { id: node!.id, status: "cordoned" },
    });
    await operator.node.uncordon({ id: node!.id });
  });

  it("carries node changes, new events and changed apps on the one live stream", async () => {
    const stream = await viewer.live.watch({});
    const iterator = stream[Symbol.asyncIterator]();
    const [node] = await viewer.node.find();
    const seen = (async () => {
      const kinds = new Set<string>();
      while (kinds.size < 3) {
        const result: IteratorResult<TLiveMessage> = await iterator.next();
        if (result.done) {
          break;
        }
        kinds.add(result.value.kind);
      }

      return kinds;
    })();
    await operator.node.cordon({ id: node!.id });
    await operator.app.create({ name: "live", image: "berth-demo/web:1", replicas: 0 });
    const kinds = await seen;
    await iterator.return?.();

    expect([...kinds].sort()).toEqual(["app", "event", "node"]);
    await operator.node.uncordon({ id: node!.id });
  });

  it("removes a node with no replicas", async () => {
    const nodes = await viewer.node.find();
    const third = nodes[2]!;
    await operator.node.delete({ id: third.id });

    expect((await viewer.node.find()).map((node) => node.name)).toEqual(["lab-1", "lab-2"]);
    expect(await viewer.event.find({ kindPrefix: "node.removed", limit: 5 })).toHaveLength(1);
  });

  it("never returns a TLS key", async () => {
    const nodes = await viewer.node.find();

    expect(JSON.stringify(nodes)).not.toMatch(/tlsKey|PRIVATE KEY/);
  });
});
