import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { LABEL_APP } from "@/server/docker/labels";
import { type callerFor, openTestDb, waitFor } from "@/server/test/harness";
import { labContainers, setUpLab, tearDownLab } from "@/server/test/lab";

import type { TController } from "./index";

/** Three crashes a second apart, with 1 s and 2 s waits between, plus the passes in between. */
const CRASH_LOOP_TIMEOUT_MS = 40_000;
/** Longer than the longest backoff, so a restart the reconciler should not make would show. */
const QUIET_MS = 5000;

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;

async function restartedEvents(appId: string) {
  return db.event.findMany({ where: { appId, kind: "replica.restarted" } });
}

beforeAll(async () => {
  db = await openTestDb();
  ({ caller, controller } = await setUpLab(db));
});

afterAll(async () => {
  await tearDownLab(db, controller);
});

describe("crash-loop restarts on the lab", () => {
  it("restarts a crashing replica with backoff, then gives up after maxRestarts", async () => {
    const app = await caller.app.create({
      name: "crasher",
      image: "berth-demo/web:1",
      command: ["sh", "-c", "sleep 1; exit 3"],
      replicas: 1,
      restart: { maxRestarts: 2, backoffInitialMs: 1000, backoffMaxMs: 2000 },
    });
    const gaveUp = await waitFor(
      "the crash loop to be given up",
      async () => {
        const row = await db.replica.findFirst({ where: { appId: app.id } });

        return row?.state === "failed" && row.lastError?.startsWith("crash loop") ? row : undefined;
      },
      { timeoutMs: CRASH_LOOP_TIMEOUT_MS, intervalMs: 200 },
    );

    expect(gaveUp.restartCount).toBe(2);
    expect(gaveUp.restartAt).toBeNull();
    expect(gaveUp.lastError).toBe(
      "crash loop: exited 3 times; last exit code 3. Fix the app and deploy a new revision.",
    );
    const restarted = await restartedEvents(app.id);

    expect(restarted).toHaveLength(2);
    expect(restarted.every((event) => event.severity === "info")).toBe(true);
    const crashLoop = await db.event.findMany({
      where: { appId: app.id, kind: "replica.crashLoop" },
    });

    expect(crashLoop).toHaveLength(1);
    expect(crashLoop[0]?.severity).toBe("error");
    // Restarts start the same container again, so its logs stay: one container, never more.
    const containers = await labContainers(`${LABEL_APP}=${app.id}`);

    expect(containers).toHaveLength(1);
    expect(containers[0]?.id).toBe(gaveUp.containerId);

    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const after = await db.replica.findUniqueOrThrow({ where: { id: gaveUp.id } });

    expect(after.state).toBe("failed");
    expect(after.restartCount).toBe(2);
    expect(await restartedEvents(app.id)).toHaveLength(2);
    const [container] = await labContainers(`${LABEL_APP}=${app.id}`);

    expect(container?.state).toBe("exited");
  });
});
