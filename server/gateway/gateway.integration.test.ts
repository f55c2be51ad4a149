/**
 * The gateway on the lab: a test controller and a gateway in one process, three replicas of
 * berth-demo/web:1 (which answers {host, version}, /health and /cgi-bin/slow?ms=N). Traffic
 * stays on 127.0.0.0/8. The controller's drain waits on this gateway's heartbeat row.
 */
import http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TController } from "@/server/controller";
import type { PrismaClient } from "@/server/db/generated/client";
import { engineClient, execInContainer } from "@/server/docker/engine";
import { BerthError } from "@/server/errors";
import { logger } from "@/server/logger";
import { labEndpoint } from "@/server/test/config";
import { callerFor, createPrincipal, openTestDb, refusal, waitFor } from "@/server/test/harness";
import {
  LAB_TARGETS,
  type TTestAppSpec,
  demoWebSpec,
  removeAllBerthContainers,
  startTestController,
} from "@/server/test/lab";
import { rowsOf, waitForReady } from "@/server/test/replicas";

import { type TGateway, startGateway } from "./index";
import { checkServicePort } from "./routes";

const PORT_RANGE = { min: 20500, max: 20599 };
const REQUEST_TIMEOUT_MS = 5000;
const ROUTE_WAIT_MS = 10_000;
/** The demo image's health endpoint is this file: gone, /health answers 404. */
const HEALTH_FILE = "/www/health";

let db: PrismaClient;
let caller: ReturnType<typeof callerFor>;
let controller: TController;
let gateway: TGateway;
let appId = "";
let serviceUrl = "";
/** Container hostname (what the demo answers) → replica id. */
const replicaOfHost = new Map<string, string>();

const WEB: TTestAppSpec = {
  ...demoWebSpec("gw", 3),
  update: { maxSurge: 1, maxUnavailable: 0, autoRollback: true },
};

/** A keep-alive client, as a real one would be; bounded by REQUEST_TIMEOUT_MS. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function get(path = "/"): Promise<{ status: number; host: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${serviceUrl}${path}`, { agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => {
        const host = res.statusCode === 200 ? (JSON.parse(body) as { host: string }).host : "";
        resolve({ status: res.statusCode ?? 0, host });
      });
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
  });
}

async function countHosts(requests: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < requests; i += 1) {
    const { status, host } = await get();
    expect(status).toBe(200);
    counts.set(host, (counts.get(host) ?? 0) + 1);
  }

  return counts;
}

async function waitForBackends(count: number, what = `${count} backends in the gateway`) {
  return waitFor(
    what,
    () => {
      const route = gateway.routeOf(appId);

      return route?.backends.length === count ? route : undefined;
    },
    { timeoutMs: ROUTE_WAIT_MS, intervalMs: 20 },
  );
}

/** Learns each replica's hostname by asking it straight at its published port. */
async function learnHosts(): Promise<void> {
  replicaOfHost.clear();
  for (const backend of gateway.routeOf(appId)?.backends ?? []) {
    const response = await fetch(`http://${backend.host}:${backend.port}/`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    replicaOfHost.set(((await response.json()) as { host: string }).host, backend.replicaId);
  }
}

beforeAll(async () => {
  db = await openTestDb();
  await removeAllBerthContainers();
  caller = callerFor(db, await createPrincipal(db, "operator"));
  for (const k of [1, 2, 3]) {
    await caller.node.create({ name: `lab-${k}`, endpoint: labEndpoint(k), labels: {} });
  }
  controller = startTestController(db);
  await waitFor("controller leadership", () => (controller.isLeader() ? true : undefined));
  gateway = await startGateway({
    db,
    log: logger(),
    address: "127.0.0.1",
    portRange: PORT_RANGE,
    statsIntervalMs: 1000,
  });
  const app = await caller.app.create(WEB);
  appId = app.id;
  await waitForReady(db, appId, 3);
  const route = await waitForBackends(3);
  serviceUrl = `http://127.0.0.1:${route.servicePort}`;
  await learnHosts();
});

afterAll(async () => {
  agent.destroy();
  await gateway.stop();
  await controller.stop();
  await removeAllBerthContainers();
  await db.$disconnect();
});

describe("gateway on the lab", () => {
  it("allocates a service port from the range and stores it", async () => {
    const app = await db.app.findUniqueOrThrow({ where: { id: appId } });

    expect(app.gatewayPort).toBe(PORT_RANGE.min);
    expect(serviceUrl).toBe(`http://127.0.0.1:${PORT_RANGE.min}`);
  });

  it("refuses a taken or out-of-range service port as a field error", async () => {
    const other = await db.app.create({ data: { name: "other" } });
    const outside = await checkServicePort(db, other.id, 80, PORT_RANGE).catch((e: unknown) => e);
    const taken = await checkServicePort(db, other.id, PORT_RANGE.min, PORT_RANGE).catch(
      (e: unknown) => e,
    );

    expect(outside).toBeInstanceOf(BerthError);
    expect((outside as BerthError).field).toBe("lb.servicePort");
    expect((outside as BerthError).message).toMatch(/outside the gateway's range 20500-20599/);
    expect((taken as BerthError).message).toMatch(/already the service port of gw/);
    expect((await db.app.findUniqueOrThrow({ where: { id: other.id } })).gatewayPort).toBeNull();
    await db.app.delete({ where: { id: other.id } });
  });

  it("spreads 300 requests round robin within ±10 %", async () => {
    const counts = await countHosts(300);

    expect(counts.size).toBe(3);
    for (const host of replicaOfHost.keys()) {
      expect(Math.abs((counts.get(host) ?? 0) - 100)).toBeLessThanOrEqual(10);
    }
  });

  it("reports the service address and per-replica metrics through gateway.get", async () => {
    const viewer = callerFor(db, await createPrincipal(db, "viewer"));
    const view = await waitFor(
      "gateway stats",
      async () => {
        const got = await viewer.gateway.get({ appId });

        return got.replicas.some((r) => r.requestsPerSecond > 0) ? got : undefined;
      },
      { timeoutMs: ROUTE_WAIT_MS },
    );

    expect(view.serviceAddress).toBe(`127.0.0.1:${PORT_RANGE.min}`);
    expect(view.policy).toBe("round-robin");
    expect(view.replicas).toHaveLength(3);
    expect(view.replicas.every((r) => r.isReady)).toBe(true);
    const error = await refusal(viewer.gateway.get({ appId: "not-an-id" }));
    expect(error.code).toBe("BAD_REQUEST");
  });

  it("leaves a replica out while its health check fails, and takes it back after", async () => {
    const route = gateway.routeOf(appId);
    const sick = route?.backends.find((b) => b.slot === 2);
    const row = (await rowsOf(db, appId)).find((r) => r.id === sick?.replicaId);
    const target = LAB_TARGETS.find(
      (t) => "host" in t.endpoint && t.endpoint.host === row?.node?.advertiseAddress,
    );
    if (!sick || !row?.containerId || !target) {
      throw new Error("no replica to make unhealthy");
    }
    const docker = engineClient(target);
    const sickHost = [...replicaOfHost.entries()].find(([, id]) => id === sick.replicaId)?.[0];
    // The container keeps serving "/"; only its health endpoint fails.
    const removed = await execInContainer(
      docker,
      target,
      row.containerId,
      ["rm", HEALTH_FILE],
      5000,
    );

    expect(removed.exitCode).toBe(0);
    await waitFor(
      "the unhealthy replica out of the gateway",
      () => {
        const backends = gateway.routeOf(appId)?.backends ?? [];

        return backends.length === 2 && backends.every((b) => b.replicaId !== sick.replicaId)
          ? true
          : undefined;
      },
      { timeoutMs: ROUTE_WAIT_MS, intervalMs: 20 },
    );
    // The controller soon stops and restarts a failing replica, healthy again: count only
    // while the route leaves it out.
    const isOut = () =>
      !(gateway.routeOf(appId)?.backends ?? []).some((b) => b.replicaId === sick.replicaId);
    const hosts: string[] = [];
    while (isOut() && hosts.length < 60) {
      const { status, host } = await get();

      expect(status).toBe(200);
      hosts.push(host);
    }

    expect(hosts.length).toBeGreaterThanOrEqual(20);
    expect(hosts).not.toContain(sickHost);
    expect(new Set(hosts).size).toBe(2);
    const restored = await execInContainer(
      docker,
      target,
      row.containerId,
      ["sh", "-c", `echo ok > ${HEALTH_FILE}`],
      5000,
    ).catch(() => undefined);
    // Restored in place, or replaced by the controller meanwhile: either way three again.
    expect(restored === undefined || restored.exitCode === 0).toBe(true);
    await waitForReady(db, appId, 3);
    await waitForBackends(3, "the healthy replica back in the gateway");
    await learnHosts();
  });

  it("follows weights per replica slot, switched live", async () => {
    const changedAt = Date.now();
    await caller.app.update({
      id: appId,
      spec: { ...WEB, lb: { policy: "weighted", weights: [3, 1, 1] } },
    });
    await waitFor(
      "weights in the gateway",
      () => (gateway.routeOf(appId)?.backends.some((b) => b.weight === 3) ? true : undefined),
      { timeoutMs: ROUTE_WAIT_MS, intervalMs: 5 },
    );
    const reloadMs = Date.now() - changedAt;
    const rows = await rowsOf(db, appId);
    const counts = await countHosts(250);
    const bySlot = [0, 1, 2].map((slot) => {
      const id = rows.find((row) => row.slot === slot)?.id;
      const host = [...replicaOfHost.entries()].find(([, replica]) => replica === id)?.[0];

      return counts.get(host ?? "") ?? 0;
    });

    expect(bySlot).toEqual([150, 50, 50]);
    expect(reloadMs).toBeLessThan(2000);
  });

  it("loses no request when a replica's container stops, and drops it within 1 s", async () => {
    const route = gateway.routeOf(appId);
    const victim = route?.backends.find((b) => b.slot === 1);
    const row = (await rowsOf(db, appId)).find((r) => r.id === victim?.replicaId);
    const target = LAB_TARGETS.find(
      (t) => "host" in t.endpoint && t.endpoint.host === row?.node?.advertiseAddress,
    );
    if (!victim || !row?.containerId || !target) {
      throw new Error("no replica to stop");
    }
    const failures: string[] = [];
    let isSending = true;
    let sent = 0;
    const clients = Array.from({ length: 4 }, async () => {
      // Bounded: stops when the test says so, and after 2000 requests at the most.
      while (isSending && sent < 2000) {
        sent += 1;
        const result = await get().catch((error: unknown) => ({ status: 0, host: String(error) }));
        if (result.status !== 200) {
          failures.push(`${result.status} ${result.host}`);
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await engineClient(target).getContainer(row.containerId).stop({ t: 0 });
    const stoppedAt = Date.now();
    await waitFor(
      "the stopped replica out of the gateway",
      () => {
        const now = gateway.routeOf(appId);
        const isIn = now?.backends.some((b) => b.replicaId === victim.replicaId) ?? false;

        return !isIn || now?.ejectedIds.includes(victim.replicaId) ? true : undefined;
      },
      { timeoutMs: 5000, intervalMs: 10 },
    );
    const outAfterMs = Date.now() - stoppedAt;
    await new Promise((resolve) => setTimeout(resolve, 500));
    isSending = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(50);
    expect(outAfterMs).toBeLessThanOrEqual(1000);
    // The crash is restarted on a new host port: wait for the route to see it go and return.
    await waitFor(
      "the stopped replica marked down",
      () => (gateway.routeOf(appId)?.backends.length === 2 ? true : undefined),
      { timeoutMs: ROUTE_WAIT_MS, intervalMs: 20 },
    );
    await waitForReady(db, appId, 3);
    await waitForBackends(3, "the restarted replica back in the gateway");
    await learnHosts();
  });

  it("drains requests longer than 2 s on a replica removed by a scale-down", async () => {
    const rows = await rowsOf(db, appId);
    const leaving = rows.find((row) => row.slot === 2);
    // Weights 3,1,1 send one of every five requests to slot 2.
    const slow = Array.from({ length: 5 }, () => get("/cgi-bin/slow?ms=3000"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const scaledAt = Date.now();
    await caller.app.scale({ id: appId, replicas: 2 });
    await waitForBackends(2, "the scaled-down route");
    await new Promise((resolve) => setTimeout(resolve, 2500 - (Date.now() - scaledAt)));
    const isKeptPastTwoSeconds = (await rowsOf(db, appId)).some((r) => r.id === leaving?.id);
    const results = await Promise.all(slow);
    const doneAt = Date.now();
    const hosts = new Set(results.map((r) => replicaOfHost.get(r.host)));
    await waitFor(
      "the scaled-down replica removed",
      async () => ((await rowsOf(db, appId)).length === 2 ? true : undefined),
      { timeoutMs: ROUTE_WAIT_MS, intervalMs: 20 },
    );
    const removedAfterMs = Date.now() - doneAt;

    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(hosts.has(leaving?.id)).toBe(true);
    expect(isKeptPastTwoSeconds).toBe(true);
    // Removed soon after its last request, not after the 30 s timeout.
    expect(removedAfterMs).toBeLessThan(3000);
  });

  it("drains during a rolling update: no request fails while replicas are replaced", async () => {
    const failures: string[] = [];
    let isSending = true;
    let sent = 0;
    const clients = Array.from({ length: 4 }, async (_, i) => {
      // Bounded: stops when the rollout is done, and after 3000 requests at the most.
      while (isSending && sent < 3000) {
        sent += 1;
        const path = i === 0 ? "/cgi-bin/slow?ms=1500" : "/";
        const result = await get(path).catch((error: unknown) => ({
          status: 0,
          host: String(error),
        }));
        if (result.status !== 200) {
          failures.push(`${result.status} ${result.host}`);
        }
      }
    });
    const before = new Set((await rowsOf(db, appId)).map((row) => row.id));
    await caller.app.update({
      id: appId,
      spec: {
        ...WEB,
        replicas: 2,
        env: { ROLLOUT: "2" },
        lb: { policy: "weighted", weights: [3, 1, 1] },
      },
    });
    await waitFor(
      "every replica replaced and the old ones drained",
      async () => {
        const rows = await rowsOf(db, appId);
        const isNew = rows.every((row) => !before.has(row.id));

        return rows.length === 2 && isNew && gateway.routeOf(appId)?.backends.length === 2
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    isSending = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(20);
  });
});
