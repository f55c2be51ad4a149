/**
 * The change bus over a real PostgreSQL server: when the listening connection is killed
 * (pg_terminate_backend), the bus connects again, says so with a resync, and changes flow
 * again.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  BUS_RECONNECT_MAX_MS,
  CHANGE_CHANNEL,
  type TChange,
  busListenerPid,
  connectBusToPostgres,
  disconnectBus,
  publishChange,
  subscribeChanges,
} from "./bus";
import { TEST_DATABASE_URL } from "./test/config";

const WAIT_MS = 5000;

let admin: pg.Client;
const abort = new AbortController();
const received: { change: TChange; at: number }[] = [];

async function waitForChange(what: string, match: (change: TChange) => boolean, after: number) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const hit = received.find((entry) => entry.at >= after && match(entry.change));
    if (hit) {
      return hit;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${what} within ${WAIT_MS} ms`);
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await connectBusToPostgres(TEST_DATABASE_URL, async (payload) => {
    await admin.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, payload]);
  });
  void (async () => {
    for await (const change of subscribeChanges(abort.signal)) {
      received.push({ change, at: Date.now() });
    }
  })();
});

afterAll(async () => {
  abort.abort();
  await disconnectBus();
  await admin.end();
});

describe("change bus on PostgreSQL", () => {
  it("delivers a change through NOTIFY", async () => {
    const before = Date.now();
    await publishChange({ topic: "app", appId: "a1" });
    const hit = await waitForChange("change", (c) => c.topic === "app" && c.appId === "a1", before);

    expect(hit.change).toEqual({ topic: "app", appId: "a1" });
  });

  it("reconnects after its connection is terminated, resyncs, and delivers again", async () => {
    const pid = busListenerPid();
    expect(pid).toBeGreaterThan(0);
    const killedAt = Date.now();
    const { rows } = await admin.query<{ done: boolean }>(
      "SELECT pg_terminate_backend($1) AS done",
      [pid],
    );
    expect(rows[0]?.done).toBe(true);
    const resync = await waitForChange("resync", (c) => c.topic === "resync", killedAt);
    const newPid = busListenerPid();
    // A change sent by another connection, so only the new LISTEN can bring it.
    const sentAt = Date.now();
    const payload = JSON.stringify({ topic: "app", appId: "after" } satisfies TChange);
    await admin.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, payload]);
    await waitForChange("change after reconnect", (c) => c.topic === "app", sentAt);

    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(pid);
    expect(resync.at - killedAt).toBeLessThan(BUS_RECONNECT_MAX_MS);
  });
});
