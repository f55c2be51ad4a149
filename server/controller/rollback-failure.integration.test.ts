/**
 * An automatic rollback that Berth cannot make leaves the update held; the failure must reach
 * people as an error event and on the rollout, with what to do, not only as a log line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { logger } from "@/server/logger";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";

import { failRollout } from "./rollouts";

const OLD_PORT = 20_050;
const NEW_PORT = 20_051;

let db: PrismaClient;
let operator: ReturnType<typeof callerFor>;

beforeAll(async () => {
  db = await openTestDb();
  operator = callerFor(db, await createPrincipal(db, "operator"));
});

afterAll(async () => {
  await db.$disconnect();
});

/** What the gateway writes once it listens on an app's service port. */
async function gatewayHolds(appId: string, port: number) {
  await db.app.update({ where: { id: appId }, data: { gatewayPort: port } });
}

describe("a failed automatic rollback", () => {
  it("is an error event and the rollout's message, saying what to do", async () => {
    const base = {
      name: "shop",
      image: "berth-demo/web:1",
      ports: [{ containerPort: 8080, protocol: "tcp" as const }],
    };
    const shop = await operator.app.create({
      ...base,
      lb: { policy: "round-robin", servicePort: OLD_PORT },
    });
    await gatewayHolds(shop.id, OLD_PORT);
    await operator.app.update({
      id: shop.id,
      spec: {
        ...base,
        image: "berth-demo/web:2",
        lb: { policy: "round-robin", servicePort: NEW_PORT },
      },
    });
    await gatewayHolds(shop.id, NEW_PORT);
    // Another app takes the port the old revision used: revision 1 cannot come back as it was.
    const cart = await operator.app.create({
      ...base,
      name: "cart",
      lb: { policy: "round-robin", servicePort: OLD_PORT },
    });
    await gatewayHolds(cart.id, OLD_PORT);
    const rollout = await db.rollout.findFirstOrThrow({
      where: { appId: shop.id, state: "progressing" },
    });

    const log = logger().child({ test: "rollback-failure" });
    const isChanged = await failRollout({ db, log }, shop.id, rollout.id, "replica 0 is unhealthy");

    expect(isChanged).toBe(true);
    const after = await db.rollout.findUniqueOrThrow({ where: { id: rollout.id } });

    expect(after.state).toBe("failed");
    expect(after.message).toMatch(
      /^replica 0 is unhealthy; rolling back failed: Port 20050 .*cart/,
    );
    expect(after.message).toMatch(/roll back to revision 1 under Revisions/);
    const event = await db.event.findFirstOrThrow({
      where: { appId: shop.id, kind: "app.rollbackFailed" },
    });

    expect(event.severity).toBe("error");
    expect(event.message).toMatch(
      /^automatic rollback of shop to revision 1 failed: Port 20050 is already the service port/,
    );
    expect(event.message).toMatch(/Old replicas keep serving/);
    // Nothing else changed: revision 2 is current, no third revision was made.
    expect((await operator.app.get({ id: shop.id })).revision.number).toBe(2);
    expect(await db.revision.count({ where: { appId: shop.id } })).toBe(2);
    // The rollout is already failed: a second pass changes nothing and says nothing again.
    expect(await failRollout({ db, log }, shop.id, rollout.id, "again")).toBe(false);
    expect(await db.event.count({ where: { appId: shop.id, kind: "app.rollbackFailed" } })).toBe(1);
  });
});
