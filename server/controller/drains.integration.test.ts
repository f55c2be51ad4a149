/**
 * Drains against the real database: gateways' heartbeat rows decide when a stopping replica
 * may stop, the timeout bounds the wait, and a gateway gone quiet is not waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { GATEWAY_LIVE_MS, removeHeartbeat, writeHeartbeat } from "@/server/gateway/heartbeat";
import { logger } from "@/server/logger";
import { openTestDb } from "@/server/test/harness";

import { Drains } from "./drains";

const WAIT_MS = 5000;

let db: PrismaClient;

beforeAll(async () => {
  db = await openTestDb();
});

afterAll(async () => {
  await db.$disconnect();
});

async function report(id: string, draining: Record<string, number>): Promise<void> {
  await writeHeartbeat(db, { id, hostname: "h", address: "127.0.0.1", draining, listenErrors: [] });
}

/** A drain of one replica; resolves with how long it took to settle. */
async function drainOf(replicaId: string, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  let drains: Drains | undefined;
  const settled = new Promise<void>((resolve) => {
    drains = new Drains({ db, log: logger(), onSettled: resolve, pollMs: 20 });
  });
  expect(drains?.ensure(replicaId, "app", timeoutMs)).toBe("draining");
  await Promise.race([
    settled,
    new Promise((_, reject) => setTimeout(() => reject(new Error("not settled")), WAIT_MS)),
  ]);
  expect(drains?.ensure(replicaId, "app", timeoutMs)).toBe("done");
  drains?.stop();

  return Date.now() - startedAt;
}

describe("drains", () => {
  it("settles once every live gateway reports nothing in flight", async () => {
    await report("g1", { r1: 2 });
    await report("g2", { r1: 0 });
    const settling = drainOf("r1", 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await report("g1", { r1: 0 });
    const tookMs = await settling;

    expect(tookMs).toBeGreaterThanOrEqual(300);
    expect(tookMs).toBeLessThan(1500);
  });

  it("waits for a gateway that has not seen the replica stopping, up to the timeout", async () => {
    await report("g1", {});
    const tookMs = await drainOf("r2", 400);

    expect(tookMs).toBeGreaterThanOrEqual(400);
    expect(tookMs).toBeLessThan(2000);
  });

  it("does not wait for a gateway gone quiet longer than GATEWAY_LIVE_MS", async () => {
    await removeHeartbeat(db, "g1");
    await report("g2", { r3: 5 });
    await db.$executeRaw`
      UPDATE "GatewayProcess" SET "seenAt" = now() - ${GATEWAY_LIVE_MS + 1000}::integer
        * interval '1 millisecond' WHERE "id" = 'g2'`;
    const tookMs = await drainOf("r3", 10_000);

    expect(tookMs).toBeLessThan(1000);
  });

  it("lets a replica go at once with a timeout of 0", () => {
    const drains = new Drains({ db, log: logger(), onSettled: () => undefined });

    expect(drains.ensure("r4", "app", 0)).toBe("done");
    drains.stop();
  });
});
