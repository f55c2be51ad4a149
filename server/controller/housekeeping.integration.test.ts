import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { createPrincipal, openTestDb } from "@/server/test/harness";

import { purgeExpired } from "./housekeeping";

let db: PrismaClient;

beforeAll(async () => {
  db = await openTestDb();
});

afterAll(async () => {
  await db.$disconnect();
});

describe("housekeeping", () => {
  it("removes expired sessions and old sign-in attempts, and nothing else", async () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const hour = 3600_000;
    const user = await createPrincipal(db, "viewer");
    if (user.kind !== "user") {
      throw new Error("expected a user");
    }
    await db.session.createMany({
      data: [
        { tokenHash: "expired", userId: user.userId, expiresAt: new Date(now.getTime() - hour) },
        { tokenHash: "live", userId: user.userId, expiresAt: new Date(now.getTime() + hour) },
      ],
    });
    await db.signInAttempt.createMany({
      data: [
        {
          username: "a",
          ip: "127.0.0.1",
          succeeded: false,
          createdAt: new Date(now.getTime() - 48 * hour),
        },
        {
          username: "a",
          ip: "127.0.0.1",
          succeeded: false,
          createdAt: new Date(now.getTime() - hour),
        },
      ],
    });

    expect(await purgeExpired(db, now)).toEqual({ sessions: 1, attempts: 1 });
    expect((await db.session.findMany()).map((session) => session.tokenHash)).toEqual(["live"]);
    expect(await db.signInAttempt.count()).toBe(1);
  });
});
