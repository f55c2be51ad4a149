/**
 * Node inventories on the lab: images read from each engine feed the scheduler's "image
 * present" filter with pulling off, and ports that containers Berth does not own publish rule
 * their node out for an app that needs the same host port.
 */
import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { publishChange } from "@/server/bus";
import type { PrismaClient } from "@/server/db/generated/client";
import { type callerFor, openTestDb, waitFor } from "@/server/test/harness";
import {
  removeForeignContainer,
  setUpLab,
  startForeignContainer,
  tagLabImage,
  tearDownLab,
  untagLabImage,
} from "@/server/test/lab";
import { CONVERGE_TIMEOUT_MS, rowsOf, waitForReady } from "@/server/test/replicas";

import type { TController } from "./index";
import { INVENTORY_INTERVAL_MS } from "./inventory";

/** A tag no other run uses, so a leftover from an earlier run cannot pass the test. */
const ONLY_ON_LAB_2 = `berth-demo/only-here:${randomBytes(4).toString("hex")}`;
const MISSING_IMAGE = "berth-demo/web:404";
const FOREIGN = "not-berth-port-holder";
const FOREIGN_PORT = 18_931;

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;

async function nodeNamed(name: string) {
  return db.node.findUniqueOrThrow({ where: { name } });
}

beforeAll(async () => {
  db = await openTestDb();
  ({ caller, controller } = await setUpLab(db));
});

afterAll(async () => {
  await untagLabImage(2, ONLY_ON_LAB_2);
  await removeForeignContainer(1, FOREIGN);
  await tearDownLab(db, controller);
});

describe("node inventory", () => {
  it("is read when a node is added: its images, with a time", async () => {
    for (const name of ["lab-1", "lab-2", "lab-3"]) {
      const node = await nodeNamed(name);

      expect(node.images).toContain("berth-demo/web:1");
      expect(node.images.some((ref) => ref.startsWith("sha256:"))).toBe(true);
      expect(node.inventoryAt).not.toBeNull();
    }
  });

  it("places an app whose image only one node holds on that node, with pulling off", async () => {
    await tagLabImage(2, "berth-demo/web:1", ONLY_ON_LAB_2);
    // No hint: the controller's periodic read finds the new tag on its own.
    await waitFor(
      "lab-2's inventory to list the new tag",
      async () => ((await nodeNamed("lab-2")).images.includes(ONLY_ON_LAB_2) ? true : undefined),
      { timeoutMs: INVENTORY_INTERVAL_MS + 5000, intervalMs: 200 },
    );
    const spec = { name: "only-here", image: ONLY_ON_LAB_2, replicas: 2 };
    const preview = await caller.app.dryRun({ spec });

    expect(preview.placements.map((p) => p.nodeName)).toEqual(["lab-2", "lab-2"]);
    expect(preview.placements[0]?.message).toMatch(
      `1 of 3 nodes fit: 2 lack image ${ONLY_ON_LAB_2} (pulling is off)`,
    );
    const app = await caller.app.create(spec);
    const ready = await waitForReady(db, app.id, 2);

    expect(ready.map((row) => row.node?.name)).toEqual(["lab-2", "lab-2"]);
  });

  it("leaves an image no node holds unplaced with the reason, never failing a start", async () => {
    const spec = { name: "nowhere", image: MISSING_IMAGE, replicas: 1 };
    const reason = `0 of 3 nodes fit: 3 lack image ${MISSING_IMAGE} (pulling is off)`;
    const preview = await caller.app.dryRun({ spec });

    expect(preview.placements).toEqual([]);
    expect(preview.unplaced[0]?.message).toBe(reason);
    const app = await caller.app.create(spec);
    const [row] = await waitFor(
      "the replica to be unplaced",
      async () => {
        const rows = await rowsOf(db, app.id);

        return rows[0]?.state === "unplaced" ? rows : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );

    expect(row?.lastError).toBe(reason);
    expect(row?.nodeId).toBeNull();
    expect(await db.event.count({ where: { appId: app.id, kind: "replica.failed" } })).toBe(0);
  });

  it("keeps a replica off a node where a container Berth does not own holds its port", async () => {
    await startForeignContainer(1, FOREIGN, FOREIGN_PORT);
    const lab1 = await nodeNamed("lab-1");
    // A node change makes the controller read that node again at once.
    await publishChange({ topic: "node", nodeId: lab1.id });
    const held = await waitFor(
      "lab-1's inventory to list the foreign port",
      async () => {
        const node = await nodeNamed("lab-1");
        const ports = node.foreignHostPorts as { port: number; container: string }[];

        return ports.find((port) => port.port === FOREIGN_PORT);
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );

    expect(held.container).toBe(FOREIGN);
    const spec = {
      name: "fixed-port",
      image: "berth-demo/web:1",
      replicas: 3,
      ports: [{ containerPort: 8080, hostPort: FOREIGN_PORT }],
    };
    const preview = await caller.app.dryRun({ spec: { ...spec, replicas: 1 } });

    expect(preview.placements[0]?.nodeName).not.toBe("lab-1");
    expect(preview.placements[0]?.message).toMatch(
      `2 of 3 nodes fit: 1 has host port tcp/${FOREIGN_PORT} taken`,
    );
    const app = await caller.app.create(spec);
    const rows = await waitFor(
      "two replicas running and the third unplaced",
      async () => {
        const rows = await rowsOf(db, app.id);
        const running = rows.filter((row) => row.state === "running");

        return running.length === 2 && rows.some((r) => r.state === "unplaced") ? rows : undefined;
      },
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );

    expect(rows.every((row) => row.node?.name !== "lab-1")).toBe(true);
    expect(rows.find((row) => row.state === "unplaced")?.lastError).toBe(
      `0 of 3 nodes fit: 3 have host port tcp/${FOREIGN_PORT} taken`,
    );
  });
});
