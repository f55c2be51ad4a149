/**
 * Stats on the lab: a CPU burner's live points show its load within seconds, its memory
 * matches the engine's own figure, and the collector's history outlives the controller.
 */
import type { Readable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createCaller } from "@/server/api/root";
import type { TPrincipal } from "@/server/auth/principal";
import type { PrismaClient } from "@/server/db/generated/client";
import { engineClient, readContainerStats } from "@/server/docker/engine";
import { labEndpoint } from "@/server/test/config";
import { callerFor, contextFor, createPrincipal, openTestDb, waitFor } from "@/server/test/harness";
import { LAB_TARGETS, removeAllBerthContainers, startTestController } from "@/server/test/lab";
import { type TReplicaRow, waitForReady } from "@/server/test/replicas";
import type { TController } from "@/server/controller";

import { LiveStatsHub, engineStatsOpener, liveStatsHub } from "./live-hub";
import { livePoints } from "./live";
import { ZEngineStats, memoryUsageOf } from "./maths";
import type { TStatPoint } from "./schema";
import type { TStatTarget } from "./service";

const LIVE_WITHIN_MS = 3000;
const BUSY_PERCENT = 50;
const MEMORY_TOLERANCE = 0.05;
/** Two collector rounds (the first only primes each container) and some slack. */
const HISTORY_WITHIN_MS = 35_000;

let db: PrismaClient;
let principal: TPrincipal;
let caller: ReturnType<typeof callerFor>;
let controller: TController;
let appId = "";
let replica: TReplicaRow;

/** A caller whose subscriptions end when `signal` aborts, as a browser's do. */
function callerWith(signal: AbortSignal) {
  return createCaller(contextFor(db, principal), { signal });
}

/** Points of a live subscription, until `until` holds or the time runs out. */
async function collectLive(
  target: { scope: "replica" | "app" | "node"; id: string },
  until: (point: TStatPoint) => boolean,
  timeoutMs: number,
): Promise<{ points: TStatPoint[]; hit?: TStatPoint; elapsedMs: number }> {
  const abort = new AbortController();
  const started = Date.now();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const points: TStatPoint[] = [];
  try {
    const stream = await callerWith(abort.signal).stats.live(target);
    for await (const point of stream) {
      points.push(point);
      if (until(point) && point.at.getTime() >= started - 1000) {
        return { points, hit: point, elapsedMs: Date.now() - started };
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) {
      throw error;
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }

  return { points, elapsedMs: Date.now() - started };
}

function labTargetOf(row: TReplicaRow) {
  const target = LAB_TARGETS.find(
    (t) => "host" in t.endpoint && t.endpoint.host === row.node?.advertiseAddress,
  );
  if (!target || !row.containerId) {
    throw new Error("replica has no container on a lab node");
  }

  return target;
}

beforeAll(async () => {
  db = await openTestDb();
  await removeAllBerthContainers();
  principal = await createPrincipal(db, "operator");
  caller = callerFor(db, principal);
  for (const k of [1, 2, 3]) {
    await caller.node.create({ name: `lab-${k}`, endpoint: labEndpoint(k), labels: {} });
  }
  controller = startTestController(db);
  await waitFor("controller leadership", () => (controller.isLeader() ? true : undefined));
  const app = await caller.app.create({
    name: "burn",
    image: "berth-demo/cpu:1",
    replicas: 1,
    env: { BURN_PROCS: "1" },
  });
  appId = app.id;
  [replica] = (await waitForReady(db, appId, 1)) as [TReplicaRow];
}, 90_000);

afterAll(async () => {
  await controller.stop();
  liveStatsHub().closeAll();
  await removeAllBerthContainers();
  await db.$disconnect();
});

describe("live stats", () => {
  it("shows a burner above 50 % of a core within 3 s of subscribing", async () => {
    const live = await collectLive(
      { scope: "replica", id: replica.id },
      (point) => point.cpuPercent > BUSY_PERCENT,
      LIVE_WITHIN_MS,
    );

    expect(live.hit?.cpuPercent, `points: ${JSON.stringify(live.points)}`).toBeGreaterThan(
      BUSY_PERCENT,
    );
    expect(live.elapsedMs).toBeLessThanOrEqual(LIVE_WITHIN_MS);
  });

  it("shows the memory the engine reports, within 5 %", async () => {
    const target = labTargetOf(replica);
    const containerId = replica.containerId as string;
    const live = await collectLive(
      { scope: "replica", id: replica.id },
      (point) => point.memoryBytes > 0,
      LIVE_WITHIN_MS,
    );
    const raw = await readContainerStats(
      engineClient(target),
      target,
      containerId,
      AbortSignal.timeout(5000),
    );
    const engine = memoryUsageOf(ZEngineStats.parse(raw).memory_stats);
    const shown = live.hit?.memoryBytes ?? 0;

    expect(engine).toBeGreaterThan(0);
    expect(Math.abs(shown - engine) / engine).toBeLessThanOrEqual(MEMORY_TOLERANCE);
  });

  it("sums an app's replicas while the replica is watched too", async () => {
    const [app, again] = await Promise.all([
      collectLive({ scope: "app", id: appId }, (p) => p.cpuPercent > BUSY_PERCENT, 5000),
      collectLive({ scope: "replica", id: replica.id }, (p) => p.cpuPercent > 0, 5000),
    ]);

    expect(app.hit?.cpuPercent).toBeGreaterThan(BUSY_PERCENT);
    expect(again.hit).toBeDefined();
  });
});

describe("engine streams", () => {
  const LINGER_MS = 1500;
  let idle: TReplicaRow[] = [];
  let idleAppId = "";

  beforeAll(async () => {
    const app = await caller.app.create({ name: "idle", image: "berth-demo/web:1", replicas: 2 });
    idleAppId = app.id;
    idle = await waitForReady(db, idleAppId, 2);
  }, 90_000);

  afterAll(async () => {
    await caller.app.delete({ id: idleAppId });
  });

  it("opens one per container for many viewers and closes it a linger after the last", async () => {
    // The real engine call, counted: every stream the hub opens and every one that closes.
    const engine = engineStatsOpener();
    const opened = new Map<string, number>();
    const bodies: { containerId: string; isClosed: boolean }[] = [];
    const hub = new LiveStatsHub({
      lingerMs: LINGER_MS,
      open: async (node, containerId, signal) => {
        const body = await engine(node, containerId, signal);
        opened.set(containerId, (opened.get(containerId) ?? 0) + 1);
        const entry = { containerId, isClosed: false };
        bodies.push(entry);
        (body as Readable).once("close", () => {
          entry.isClosed = true;
        });

        return body;
      },
    });
    const [first, second] = idle as [TReplicaRow, TReplicaRow];
    const targets: TStatTarget[] = [
      { scope: "replica", id: first.id },
      { scope: "replica", id: first.id },
      { scope: "replica", id: first.id },
      { scope: "replica", id: second.id },
      { scope: "replica", id: second.id },
      { scope: "app", id: idleAppId },
      { scope: "replica", id: replica.id },
      { scope: "app", id: appId },
      { scope: "node", id: replica.nodeId as string },
    ];
    const abort = new AbortController();
    const viewers = targets.map((target) => livePoints(db, hub, target, abort.signal));
    try {
      // Each viewer's first point: every subscription is in place and its stream delivers.
      const firsts = await Promise.race([
        Promise.all(viewers.map((viewer) => viewer.next())),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error("no first point in 15 s")), 15_000),
        ),
      ]);

      expect(firsts.every((result) => result.done === false)).toBe(true);
    } finally {
      abort.abort();
      await Promise.all(viewers.map((viewer) => viewer.return(undefined)));
    }
    const containers = [first, second, replica].map((r) => r.containerId as string);

    // The node view adds the containers of that node: none opened twice.
    expect([...opened.values()].every((count) => count === 1)).toBe(true);
    for (const containerId of containers) {
      expect(opened.get(containerId)).toBe(1);
    }
    expect(bodies.length).toBe(opened.size);

    // Everyone left: the streams stay through the linger, then close at the engine.
    await new Promise((resolve) => setTimeout(resolve, LINGER_MS / 3));

    expect(bodies.filter((b) => b.isClosed)).toEqual([]);
    expect(hub.openStreams).toBe(opened.size);

    await waitFor(
      "every engine stream closed",
      () => (hub.openStreams === 0 && bodies.every((b) => b.isClosed) ? true : undefined),
      { timeoutMs: LINGER_MS + 5000, intervalMs: 50 },
    );
  }, 60_000);
});

describe("stats history", () => {
  it("is written by the collector and read back after the controller restarts", async () => {
    await waitFor(
      "collector rows",
      async () => ((await db.statSample.count({ where: { appId } })) >= 1 ? true : undefined),
      { timeoutMs: HISTORY_WITHIN_MS, intervalMs: 500 },
    );
    await controller.stop();
    controller = startTestController(db);
    await waitFor("controller leadership", () => (controller.isLeader() ? true : undefined));

    const history = await caller.stats.history({
      target: { scope: "app", id: appId },
      range: "15m",
    });
    const byReplica = await caller.stats.history({
      target: { scope: "replica", id: replica.id },
      range: "1h",
    });
    const byNode = await caller.stats.history({
      target: { scope: "node", id: replica.nodeId as string },
      range: "24h",
    });
    const current = await caller.stats.current({ scope: "app", ids: [appId] });

    expect(history.resolutionSec).toBe(10);
    expect(history.points.length).toBeGreaterThanOrEqual(1);
    expect(history.points.at(-1)?.cpuPercent).toBeGreaterThan(BUSY_PERCENT);
    expect(byReplica.points.length).toBeGreaterThanOrEqual(1);
    expect(byNode.resolutionSec).toBe(60);
    expect(byNode.points.at(-1)?.memoryLimitBytes).toBe(Number(replica.node?.memoryBytes));
    expect(current[appId]?.cpuPercent).toBeGreaterThan(BUSY_PERCENT);
  }, 60_000);

  it("refuses a target that names nothing", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    const error = await caller.stats
      .history({ target: { scope: "app", id: missing }, range: "1h" })
      .catch((e: unknown) => e);

    expect(String(error)).toMatch(/No app with this id/);
  });
});
