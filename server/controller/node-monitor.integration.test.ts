import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { labEndpoint } from "@/server/test/config";
import { callerFor, createPrincipal, lab, openTestDb, waitFor } from "@/server/test/harness";
import { startTestController } from "@/server/test/lab";

import type { TController } from "./index";

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;

async function statusOf(name: string) {
  const nodes = await caller.node.find();

  return nodes.find((node) => node.name === name)?.status;
}

beforeAll(async () => {
  db = await openTestDb();
  caller = callerFor(db, await createPrincipal(db, "operator"));
  for (const k of [1, 2, 3]) {
    await caller.node.create({ name: `lab-${k}`, endpoint: labEndpoint(k), labels: {} });
  }
  controller = startTestController(db);
  await waitFor("controller leadership", () => (controller.isLeader() ? true : undefined));
});

afterAll(async () => {
  await controller.stop();
  // Leave the lab whole for the next test file even if an assertion failed.
  await lab("revive", "2");
  await db.$disconnect();
});

describe("node monitor on the lab", () => {
  it("turns a killed node unreachable within 4 s, then ready after revive", async () => {
    // Two heartbeats first, so the node is known alive right before the failure.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await lab("kill-node", "2");
    const killedAt = Date.now();
    await waitFor(
      "lab-2 unreachable",
      async () => ((await statusOf("lab-2")) === "unreachable" ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    const detectedMs = Date.now() - killedAt;
    console.log(`lab-2 seen unreachable ${detectedMs} ms after kill-node`);

    expect(detectedMs).toBeLessThanOrEqual(4000);
    expect(await statusOf("lab-1")).toBe("ready");
    expect(await statusOf("lab-3")).toBe("ready");
    const [down] = await caller.event.find({ kindPrefix: "node.unreachable", limit: 1 });

    expect(down?.severity).toBe("error");
    expect(down?.actorType).toBe("system");

    await lab("revive", "2");
    await waitFor(
      "lab-2 ready",
      async () => ((await statusOf("lab-2")) === "ready" ? true : undefined),
      {
        timeoutMs: 15_000,
      },
    );
    const [up] = await caller.event.find({ kindPrefix: "node.ready", limit: 1 });

    expect(up?.message).toContain("lab-2");
  });

  it("keeps heartbeats fresh for live nodes", async () => {
    const [node] = await caller.node.find();
    const age = Date.now() - (node?.lastHeartbeatAt?.getTime() ?? 0);

    expect(age).toBeLessThan(3000);
  });

  it("hands leadership to a standby controller when the leader stops", async () => {
    const standby = startTestController(db);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));

      expect(standby.isLeader()).toBe(false);
      await controller.stop();
      await waitFor("standby leads", () => (standby.isLeader() ? true : undefined), {
        timeoutMs: 5000,
      });
      const lease = await db.lease.findUniqueOrThrow({ where: { name: "controller" } });

      expect(lease.epoch).toBeGreaterThanOrEqual(2);
    } finally {
      await standby.stop();
    }
  });
});
