import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { type callerFor, openTestDb, refusal, waitFor } from "@/server/test/harness";
import { setUpLab, tearDownLab } from "@/server/test/lab";
import { CONVERGE_TIMEOUT_MS, rowsOf, waitForReady, watchUntil } from "@/server/test/replicas";
import type { TController } from "@/server/controller";

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;

beforeAll(async () => {
  db = await openTestDb();
  ({ caller, controller } = await setUpLab(db));
});

afterAll(async () => {
  await tearDownLab(db, controller);
});

describe("re-pack on the lab", () => {
  it("plans, then moves replicas one at a time onto fewer nodes, each successor ready first", async () => {
    const app = await caller.app.create({
      name: "small",
      image: "berth-demo/web:1",
      replicas: 3,
      ports: [{ containerPort: 8080, protocol: "tcp" }],
      placement: { strategy: "spread" },
      healthCheck: { type: "http", path: "/health", port: 8080, intervalMs: 1000, timeoutMs: 500 },
    });
    const spread = await waitForReady(db, app.id, 3);

    expect(new Set(spread.map((row) => row.nodeId)).size).toBe(3);
    const plan = await caller.cluster.repackPlan();

    expect(plan.nodesUsedBefore).toBe(3);
    expect(plan.nodesUsed).toBe(1);
    expect(plan.lowerBound).toBe(1);
    expect(plan.nodesFreed).toHaveLength(2);
    expect(plan.moves).toHaveLength(2);
    const started = await caller.cluster.applyRepack();

    expect(started.state).toBe("running");
    const seen = await watchUntil(db, "the re-pack to finish", app.id, async () => {
      const repack = await caller.cluster.repack();

      return repack?.state === "succeeded";
    });

    expect(seen.minReady).toBeGreaterThanOrEqual(3);
    expect(seen.maxMoving).toBe(1);
    expect(seen.maxContainers).toBeLessThanOrEqual(4);
    const packed = await waitForReady(db, app.id, 3);

    expect(new Set(packed.map((row) => row.nodeId)).size).toBe(1);
    const done = await caller.cluster.repack();

    expect(done?.moves.map((move) => move.state)).toEqual(["done", "done"]);
    const events = await caller.event.find({ kindPrefix: "cluster.repack", limit: 10 });

    expect(events.map((event) => event.kind)).toContain("cluster.repackSucceeded");
    const again = await refusal(caller.cluster.applyRepack());

    expect(again.code).toBe("CONFLICT");
    expect(again.message).toMatch(/Nothing to move/);
  });

  it("cancels a running re-pack and leaves every replica serving", async () => {
    const [app] = await caller.app.find();
    if (!app) {
      throw new Error("no app");
    }
    // A fresh spread over the three nodes, so that there is something to move again.
    await caller.app.scale({ id: app.id, replicas: 0 });
    await waitFor(
      "no replicas",
      async () => ((await rowsOf(db, app.id)).length === 0 ? true : undefined),
      { timeoutMs: CONVERGE_TIMEOUT_MS },
    );
    await caller.app.scale({ id: app.id, replicas: 3 });
    await waitForReady(db, app.id, 3);
    await caller.cluster.applyRepack();
    const cancelled = await caller.cluster.cancelRepack();

    expect(cancelled.state).toBe("cancelled");
    expect(await db.replica.count({ where: { moveToNodeId: { not: null } } })).toBe(0);
    await waitForReady(db, app.id, 3);
  });
});
