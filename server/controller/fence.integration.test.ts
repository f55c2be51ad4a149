import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { installationId } from "@/server/db/installation";
import { logger } from "@/server/logger";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";

import { CONTROLLER_LEASE } from "./lease";
import { Reconciler } from "./reconciler";

let db: PrismaClient;

async function setLease(epoch: number, holder: string, ttlSeconds: number) {
  await db.$executeRaw`
    INSERT INTO "Lease" ("name", "holder", "epoch", "expiresAt", "updatedAt")
    VALUES (${CONTROLLER_LEASE}, ${holder}, ${epoch},
            now() + make_interval(secs => ${ttlSeconds}), now())
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder",
      "epoch" = EXCLUDED."epoch", "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = now()`;
}

beforeAll(async () => {
  db = await openTestDb();
});

afterAll(async () => {
  await db.$disconnect();
});

describe("epoch fence", () => {
  it("lets a reconciler act only while its epoch holds the lease", async () => {
    const caller = callerFor(db, await createPrincipal(db, "operator"));
    const app = await caller.app.create({ name: "fenced", image: "berth-demo/web:1", replicas: 2 });
    const reconciler = new Reconciler({
      db,
      log: logger(),
      epoch: 6,
      installationId: await installationId(db),
      canPullImages: false,
    });
    // A successor took the lease (epoch 7) while this leader was away.
    await setLease(7, "successor", 60);

    expect(await reconciler.pass()).toBe(false);
    expect(await db.replica.count({ where: { appId: app.id } })).toBe(0);

    // Its own lease, but lapsed: still no.
    await setLease(6, "self", -1);

    expect(await reconciler.pass()).toBe(false);

    await setLease(6, "self", 60);

    expect(await reconciler.pass()).toBe(true);
    expect(await db.replica.count({ where: { appId: app.id } })).toBe(2);
  });
});
