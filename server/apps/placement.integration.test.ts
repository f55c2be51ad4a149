/**
 * The scheduler on the database's view of the lab: snapshots read from PostgreSQL, dry runs
 * over three real engines, and "what if this node died?".
 */
import os from "node:os";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient, ReplicaState } from "@/server/db/generated/client";
import { labEndpoint } from "@/server/test/config";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";

import { loadSnapshot } from "./snapshot";
import { MAX_MEMORY_BYTES, MIB_BYTES } from "./spec";

let db: PrismaClient;
let operator: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
const nodeIds: Record<string, string> = {};

beforeAll(async () => {
  db = await openTestDb();
  operator = callerFor(db, await createPrincipal(db, "operator"));
  viewer = callerFor(db, await createPrincipal(db, "viewer"));
  for (const k of [1, 2, 3]) {
    const node = await operator.node.create({
      name: `lab-${k}`,
      endpoint: labEndpoint(k),
      labels: { zone: k === 3 ? "us" : "eu" },
    });
    nodeIds[node.name] = node.id;
  }
});

afterAll(async () => {
  await db.$disconnect();
});

/** A replica row as the reconciler will write them; no container is started. */
async function addReplica(appId: string, node: string, slot: number, state: ReplicaState) {
  const app = await db.app.findUniqueOrThrow({ where: { id: appId } });

  return db.replica.create({
    data: {
      appId,
      revisionId: app.currentRevisionId ?? "",
      slot,
      nodeId: nodeIds[node] ?? null,
      state,
    },
  });
}

describe("dry runs over the lab", () => {
  it("spreads 3 replicas one per node and changes nothing", async () => {
    const spec = { name: "web", image: "berth-demo/web:1", replicas: 3 };
    const result = await viewer.app.dryRun({ spec });

    expect(result.placements.map((p) => p.nodeName).sort()).toEqual(["lab-1", "lab-2", "lab-3"]);
    expect(result.unplaced).toEqual([]);
    expect(result.placements[0]?.message).toMatch(/^placed on lab-\d \(score [\d.]+\); 3 of 3/);
    expect(await db.app.count()).toBe(0);
    expect(await db.event.count({ where: { kind: { startsWith: "app." } } })).toBe(0);
  });

  it("explains a request larger than any node", async () => {
    const resources = { memoryRequestBytes: MAX_MEMORY_BYTES };
    const result = await viewer.app.dryRun({
      spec: { name: "huge", image: "berth-demo/web:1", replicas: 2, resources },
    });

    expect(result.placements).toEqual([]);
    expect(result.unplaced).toHaveLength(2);
    expect(result.unplaced[0]?.message).toMatch(/^0 of 3 nodes fit: 3 lack .* of free memory$/);
  });

  it("names the label constraint that rules nodes out", async () => {
    const placement = { constraints: [{ key: "zone", operator: "==" as const, value: "eu" }] };
    const result = await viewer.app.dryRun({
      spec: { name: "eu-only", image: "berth-demo/web:1", replicas: 3, placement },
      seed: 7,
    });

    expect(new Set(result.placements.map((p) => p.nodeName))).toEqual(new Set(["lab-1", "lab-2"]));
    expect(result.placements[0]?.message).toMatch(/2 of 3 nodes fit: 1 fails zone == eu/);
  });

  it("plans an existing app by id, with another replica count", async () => {
    const app = await operator.app.create({ name: "api", image: "berth-demo/web:1" });
    const result = await viewer.app.dryRun({ appId: app.id, replicas: 2 });

    expect(result.appName).toBe("api");
    expect(result.placements).toHaveLength(2);
    expect(await db.revision.count({ where: { appId: app.id } })).toBe(1);
  });

  it("refuses input that names neither a spec nor an app", async () => {
    await expect(viewer.app.dryRun({})).rejects.toThrow(/give either a spec or an appId/);
  });
});

describe("scale previews", () => {
  afterAll(async () => {
    // Later tests count every holding replica in the snapshot.
    await db.replica.deleteMany({ where: { app: { name: "one-each" } } });
  });

  it("previews a scale up: running replicas stay, only the new slots are placed", async () => {
    const placement = { strategy: "spread" as const, maxPerNode: 1 };
    const app = await operator.app.create({
      name: "one-each",
      image: "berth-demo/web:1",
      replicas: 2,
      placement,
    });
    await addReplica(app.id, "lab-1", 0, "running");
    await addReplica(app.id, "lab-2", 1, "running");
    const result = await viewer.app.dryRun({ appId: app.id, replicas: 4 });

    expect(result.replicas).toBe(4);
    expect(result.kept.map((r) => [r.slot, r.nodeName])).toEqual([
      [0, "lab-1"],
      [1, "lab-2"],
    ]);
    expect(result.placements.map((p) => [p.slot, p.nodeName])).toEqual([[2, "lab-3"]]);
    expect(result.unplaced.map((u) => u.slot)).toEqual([3]);
    // The reason names the app, not its id.
    expect(result.unplaced[0]?.message).toBe("0 of 3 nodes fit: 3 already run 1 of one-each (max)");
    expect(result.removed).toEqual([]);
    expect(await db.revision.count({ where: { appId: app.id } })).toBe(1);
  });

  it("previews a scale down: which slots go, from which nodes", async () => {
    const app = await db.app.findUniqueOrThrow({ where: { name: "one-each" } });
    const result = await viewer.app.dryRun({ appId: app.id, replicas: 1 });

    expect(result.kept.map((r) => [r.slot, r.nodeName])).toEqual([[0, "lab-1"]]);
    expect(result.removed.map((r) => [r.slot, r.nodeName, r.state])).toEqual([
      [1, "lab-2", "running"],
    ]);
    expect(result.placements).toEqual([]);
    expect(result.unplaced).toEqual([]);
  });
});

describe("the snapshot and what-if", () => {
  let webId: string;

  beforeAll(async () => {
    const app = await operator.app.create({
      name: "cache",
      image: "berth-demo/web:1",
      replicas: 2,
      ports: [{ containerPort: 80, hostPort: 8080 }],
      resources: { cpuRequestMillis: 500, memoryRequestBytes: 256 * MIB_BYTES },
    });
    webId = app.id;
    await addReplica(webId, "lab-1", 0, "running");
    await addReplica(webId, "lab-2", 1, "running");
    // Stopped replicas hold nothing.
    await addReplica(webId, "lab-3", 2, "stopped");
  });

  it("reads nodes' capacity and the reservations of holding replicas", async () => {
    const snapshot = await loadSnapshot(db);
    const lab1 = snapshot.nodes.find((node) => node.name === "lab-1");

    expect(snapshot.nodes).toHaveLength(3);
    expect(lab1?.cpuMillis).toBe(os.cpus().length * 1000);
    expect(lab1?.labels).toEqual({ zone: "eu" });
    expect(lab1?.usedHostPorts).toEqual({ tcp: [8080], udp: [] });
    expect(snapshot.replicas).toHaveLength(2);
    expect(snapshot.replicas[0]).toMatchObject({
      appId: webId,
      cpuMillis: 500,
      memoryBytes: 256 * MIB_BYTES,
      hostPorts: [{ port: 8080, protocol: "tcp" }],
    });
  });

  it("moves a dead node's replica to the one node whose host port is free", async () => {
    const result = await viewer.app.whatIf({ nodeId: nodeIds["lab-1"] ?? "" });

    expect(result.nodeName).toBe("lab-1");
    expect(result.displaced).toBe(1);
    expect(result.moves.map((move) => [move.appName, move.toNodeName])).toEqual([
      ["cache", "lab-3"],
    ]);
    expect(result.unplaced).toEqual([]);
  });

  it("reports a replica nowhere to go, with the reason", async () => {
    await addReplica(webId, "lab-3", 3, "running");
    const result = await viewer.app.whatIf({ nodeId: nodeIds["lab-1"] ?? "" });

    expect(result.moves).toEqual([]);
    expect(result.unplaced).toHaveLength(1);
    expect(result.unplaced[0]?.message).toMatch(/0 of 3 nodes fit: .*host port tcp\/8080 taken/);
  });

  it("says so for a node that does not exist", async () => {
    await expect(
      viewer.app.whatIf({ nodeId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toThrow(/No node with this id/);
  });
});
