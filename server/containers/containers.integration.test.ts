/**
 * The fleet-wide container list on the lab's real engines: containers from several nodes, the
 * search, links to Berth apps, and nodes that fail or are skipped without failing the list.
 */
import { randomBytes, randomUUID } from "node:crypto";
import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { engineClient } from "@/server/docker/engine";
import { LABEL_APP, LABEL_REPLICA, LABEL_REVISION } from "@/server/docker/labels";
import { labEndpoint } from "@/server/test/config";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";
import { LAB_TARGETS } from "@/server/test/lab";

import { listAllContainers } from "./service";

const IMAGE = "berth-demo/web:1";
/** Unique per run, so the search finds this file's containers and nothing else. */
const TAG = `ctest${randomBytes(3).toString("hex")}`;
/** A closed loopback port: connections are refused at once. */
const DEAD_ENDPOINT = "tcp://127.0.0.9:1";

let db: PrismaClient;
let viewer: ReturnType<typeof callerFor>;
let appId: string;
let replicaContainerId: string;
let labNodeId: string;
const created: { k: number; id: string }[] = [];

function labDocker(k: number) {
  const target = LAB_TARGETS[k - 1];
  if (!target) {
    throw new Error(`no lab node ${k}`);
  }

  return engineClient(target);
}

type TDemoOptions = { labels?: Record<string, string>; hostPort?: number; isStopped?: boolean };

/** A demo container on lab node `k`, removed after the file whatever happens. */
async function demoContainer(k: number, name: string, options: TDemoOptions = {}) {
  const docker = labDocker(k);
  const bindings = options.hostPort
    ? { "8080/tcp": [{ HostIp: `127.0.0.${k + 1}`, HostPort: String(options.hostPort) }] }
    : {};
  const container = await docker.createContainer({
    name,
    Image: IMAGE,
    Labels: options.labels ?? {},
    ExposedPorts: { "8080/tcp": {} },
    HostConfig: { PortBindings: bindings },
  });
  created.push({ k, id: container.id });
  await container.start();
  if (options.isStopped) {
    await container.stop({ t: 0 });
  }

  return container.id;
}

/** A node row as the heartbeat would leave it, without probing its endpoint. */
async function insertNode(name: string, endpoint: string, health: "ready" | "unreachable") {
  return db.node.create({
    data: {
      name,
      transport: "tcp",
      endpoint,
      advertiseAddress: "127.0.0.9",
      health,
      lastError: health === "unreachable" ? "no heartbeat answer" : null,
      cpus: 1,
      memoryBytes: 1n,
      engineVersion: "0",
      apiVersion: "1.0",
      os: "linux",
      arch: "x86_64",
      kernelVersion: "",
      engineName: name,
      engineId: name,
    },
  });
}

beforeAll(async () => {
  db = await openTestDb();
  const operator = callerFor(db, await createPrincipal(db, "operator"));
  viewer = callerFor(db, await createPrincipal(db, "viewer"));
  for (const k of [1, 2, 3]) {
    await operator.node.create({ name: `lab-${k}`, endpoint: labEndpoint(k), labels: {} });
  }
  const app = await operator.app.create({ name: `${TAG}-shop`, image: IMAGE });
  const stored = await db.app.findUniqueOrThrow({ where: { id: app.id } });
  appId = app.id;

  await demoContainer(1, `${TAG}-web-a`, { hostPort: 18391 });
  await demoContainer(2, `${TAG}-web-b`, { isStopped: true });
  labNodeId = (await db.node.findUniqueOrThrow({ where: { name: "lab-3" } })).id;
  replicaContainerId = await demoContainer(3, `${TAG}-replica`, {
    labels: {
      [LABEL_APP]: app.id,
      [LABEL_REVISION]: stored.currentRevisionId ?? "",
      [LABEL_REPLICA]: randomUUID(),
    },
  });
});

afterAll(async () => {
  for (const { k, id } of created) {
    await labDocker(k)
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  await db.$disconnect();
});

describe("the container list across nodes", () => {
  it("lists containers from several nodes, running and stopped, with ports", async () => {
    const list = await viewer.container.list({ query: TAG });
    const byName = new Map(list.rows.map((row) => [row.name, row]));

    expect(list.rows.map((row) => row.nodeName).sort()).toEqual(["lab-1", "lab-2", "lab-3"]);
    expect(byName.get(`${TAG}-web-a`)).toMatchObject({
      image: IMAGE,
      state: "running",
      isBerth: false,
      app: null,
      ports: [{ hostIp: "127.0.0.2", hostPort: 18391, containerPort: 8080, protocol: "tcp" }],
    });
    expect(byName.get(`${TAG}-web-b`)).toMatchObject({ state: "exited", nodeName: "lab-2" });
    expect(byName.get(`${TAG}-web-b`)?.status).toMatch(/^Exited/);
    expect(list.nodes.map((node) => node.outcome)).toEqual(["listed", "listed", "listed"]);
    expect(list.isTruncated).toBe(false);
  });

  it("searches by name, node, app and id prefix, and filters by state", async () => {
    const names = async (query: string, state?: "running" | "exited") =>
      (await viewer.container.list({ query, state })).rows.map((row) => row.name).sort();
    const [running] = (await viewer.container.list({ query: `${TAG}-web-a` })).rows;

    expect(await names(`${TAG} WEB-`)).toEqual([`${TAG}-web-a`, `${TAG}-web-b`]);
    expect(await names(`${TAG} LAB-2`)).toEqual([`${TAG}-web-b`]);
    expect(await names(`${TAG}-shop`)).toEqual([`${TAG}-replica`]);
    expect(await names(`${TAG}`, "exited")).toEqual([`${TAG}-web-b`]);
    expect(await names(`${TAG}`, "running")).toEqual([`${TAG}-replica`, `${TAG}-web-a`]);
    expect(await names(running!.shortId)).toEqual([`${TAG}-web-a`]);
    expect(running?.id).toHaveLength(64);
    expect(await names(`${TAG}-nothing-like-this`)).toEqual([]);
  });

  it("links a Berth-labelled container to its app and replica", async () => {
    const [row] = (await viewer.container.list({ query: `${TAG}-replica` })).rows;

    expect(row).toMatchObject({
      nodeName: "lab-3",
      isBerth: true,
      app: { id: appId, name: `${TAG}-shop` },
    });
    expect(row?.replicaId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows a replica's newest stats sample, and why other containers have none", async () => {
    const sample = (secondsAgo: number, cpuPercent: number, memoryBytes: bigint) => ({
      at: new Date(Math.floor(Date.now() / 10_000) * 10_000 - secondsAgo * 1000),
      resolution: 10,
      appId,
      nodeId: labNodeId,
      containerId: replicaContainerId,
      cpuPercent,
      memoryBytes,
      memoryLimitBytes: 4n * memoryBytes,
      netRxBps: 0,
      netTxBps: 0,
      blockReadBps: 0,
      blockWriteBps: 0,
    });
    await db.statSample.createMany({
      data: [sample(10, 3, 1024n), sample(0, 42.5, 3n * 1024n * 1024n)],
    });
    const byName = new Map(
      (await viewer.container.list({ query: TAG })).rows.map((row) => [row.name, row]),
    );

    expect(byName.get(`${TAG}-replica`)?.usage).toMatchObject({
      cpuPercent: 42.5,
      memoryBytes: 3 * 1024 * 1024,
      memoryPercent: 25,
    });
    expect(byName.get(`${TAG}-replica`)?.usageNote).toBeNull();
    expect(byName.get(`${TAG}-web-a`)).toMatchObject({ usage: null });
    expect(byName.get(`${TAG}-web-a`)?.usageNote).toMatch(/samples its own replicas only/);
    expect(byName.get(`${TAG}-web-b`)).toMatchObject({ usage: null, usageNote: "Not running" });

    // A sample older than three rounds is not "current".
    await db.statSample.deleteMany({ where: { containerId: replicaContainerId } });
    await db.statSample.create({ data: sample(60, 9, 1024n) });
    const [stale] = (await viewer.container.list({ query: `${TAG}-replica` })).rows;

    expect(stale?.usage).toBeNull();
    expect(stale?.usageNote).toMatch(/No stats sample yet/);
  });

  it("caps the rows and says so", async () => {
    const list = await listAllContainers(db, { query: TAG, state: "all" }, { maxRows: 2 });

    expect(list.rows).toHaveLength(2);
    expect(list.total).toBe(3);
    expect(list.isTruncated).toBe(true);
  });

  it("reports a failing node and skips an unreachable one, listing the rest", async () => {
    await insertNode("lab-dead", DEAD_ENDPOINT, "ready");
    await insertNode("lab-gone", "tcp://127.0.0.9:2", "unreachable");
    const started = Date.now();
    const list = await viewer.container.list({ query: TAG });
    const dead = list.nodes.find((node) => node.nodeName === "lab-dead");
    const gone = list.nodes.find((node) => node.nodeName === "lab-gone");

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(list.rows).toHaveLength(3);
    expect(dead).toMatchObject({ outcome: "failed", containerCount: 0 });
    expect(dead?.error).toContain(
      `node lab-dead: could not list containers: Nothing accepts connections at ${DEAD_ENDPOINT}`,
    );
    expect(gone).toMatchObject({ outcome: "skipped" });
    expect(gone?.error).toMatch(/^node lab-gone: not listed.*no heartbeat answer/);
    expect(list.nodes.filter((node) => node.outcome === "listed")).toHaveLength(3);
  });

  it("gives up on a node that accepts but never answers, within its time limit", async () => {
    // Holds every connection open without a byte back, as a hung engine would.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    await insertNode("lab-silent", `tcp://127.0.0.1:${port}`, "ready");
    try {
      const started = Date.now();
      const list = await listAllContainers(db, { query: TAG, state: "all" }, { timeoutMs: 800 });
      const silentNode = list.nodes.find((node) => node.nodeName === "lab-silent");

      expect(Date.now() - started).toBeLessThan(5_000);
      expect(list.rows).toHaveLength(3);
      expect(silentNode).toMatchObject({ outcome: "failed" });
      expect(silentNode?.error).toMatch(/^node lab-silent: could not list containers: .*in time/);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
      await db.node.delete({ where: { name: "lab-silent" } });
    }
  });

  it("refuses anonymous callers", async () => {
    await expect(callerFor(db, null).container.list()).rejects.toThrow(/Sign in first/);
  });
});
