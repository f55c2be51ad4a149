/**
 * A gateway in its own process (`tsx server/main.ts` with BERTH_ROLES=gateway), as deployed:
 * this process changes routing through the API, the change reaches the gateway only through
 * PostgreSQL NOTIFY, and the time until the gateway routes accordingly is measured. Then a
 * scale-down drains a request in flight through that gateway: the controller here waits for
 * the other process's report. Three replicas of berth-demo/web:1; traffic on 127.0.0.0/8.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CHANGE_CHANNEL, connectBusToPostgres, disconnectBus } from "@/server/bus";
import type { TController } from "@/server/controller";
import type { PrismaClient } from "@/server/db/generated/client";
import { TEST_DATABASE_URL } from "@/server/test/config";
import { openTestDb, waitFor } from "@/server/test/harness";
import { type TTestAppSpec, demoWebSpec, setUpLab, tearDownLab } from "@/server/test/lab";
import { rowsOf, waitForReady } from "@/server/test/replicas";

import { liveGateways } from "./heartbeat";

const PORTS = "20600-20699";
const SERVICE_PORT = 20600;
const REQUEST_TIMEOUT_MS = 5000;
const START_TIMEOUT_MS = 60_000;
/** The bound: a routing change reaches every gateway within this. */
const ROUTING_CHANGE_MAX_MS = 100;
/** How long the poller keeps sending after a change, at most. */
const POLL_WINDOW_MS = 2000;

let db: PrismaClient;
let caller: Awaited<ReturnType<typeof setUpLab>>["caller"];
let controller: TController;
let child: ChildProcess | undefined;
let dataDir = "";
let appId = "";
const serviceUrl = `http://127.0.0.1:${SERVICE_PORT}`;
/** Every NOTIFY this process sent, and when. */
const notifiedAt: { payload: string; sentAt: number }[] = [];

const WEB: TTestAppSpec = {
  ...demoWebSpec("xproc", 3),
  lb: { policy: "round-robin", servicePort: SERVICE_PORT },
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function get(urlPath = "/"): Promise<{ status: number; host: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${serviceUrl}${urlPath}`,
      { agent, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => {
          const host = res.statusCode === 200 ? (JSON.parse(body) as { host: string }).host : "";
          resolve({ status: res.statusCode ?? 0, host });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
  });
}

/** The hostname each slot's replica answers, asked at its published port. */
async function hostOfSlot(slot: number): Promise<string> {
  const row = (await rowsOf(db, appId)).find((r) => r.slot === slot);
  const published = (row?.hostPorts ?? []) as { hostIp: string; hostPort: number }[];
  const port = published[0];
  if (!port) {
    throw new Error(`slot ${slot} publishes no port`);
  }
  const response = await fetch(`http://${port.hostIp}:${port.hostPort}/`, {
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });

  return ((await response.json()) as { host: string }).host;
}

beforeAll(async () => {
  db = await openTestDb();
  // This process publishes through NOTIFY, as a web process does.
  await connectBusToPostgres(TEST_DATABASE_URL, async (payload) => {
    const sentAt = performance.now();
    await db.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, ${payload})`;
    notifiedAt.push({ payload, sentAt });
  });
  ({ caller, controller } = await setUpLab(db));
  const app = await caller.app.create(WEB);
  appId = app.id;
  await waitForReady(db, appId, 3);
  dataDir = await mkdtemp(path.join(tmpdir(), "berth-gateway-"));
  child = spawn(path.resolve("node_modules/.bin/tsx"), ["server/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: TEST_DATABASE_URL,
      BERTH_ROLES: "gateway",
      BERTH_GATEWAY_ADDRESS: "127.0.0.1",
      BERTH_GATEWAY_PORTS: PORTS,
      BERTH_DATA_DIR: dataDir,
      BERTH_AUTO_ADD_LOCAL: "false",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitFor(
    "the gateway process's heartbeat",
    async () => ((await liveGateways(db)).length > 0 ? true : undefined),
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 100 },
  );
  await waitFor(
    "three replicas behind the gateway process",
    async () => {
      const hosts = new Set<string>();
      for (let i = 0; i < 6; i += 1) {
        hosts.add((await get().catch(() => ({ status: 0, host: "" }))).host);
      }

      return hosts.size === 3 && !hosts.has("") ? true : undefined;
    },
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 100 },
  );
});

afterAll(async () => {
  agent.destroy();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child?.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await rm(dataDir, { recursive: true, force: true });
  await tearDownLab(db, controller);
  await disconnectBus();
});

describe("a gateway in another process", () => {
  it("routes by a change made here within 100 ms, through PostgreSQL NOTIFY", async () => {
    const slot0 = await hostOfSlot(0);
    const answers: { sentAt: number; host: string }[] = [];
    let changedAt = Number.POSITIVE_INFINITY;
    const poller = (async () => {
      // Bounded in time and count: one keep-alive GET after another.
      while (performance.now() < changedAt + POLL_WINDOW_MS && answers.length < 5000) {
        const sentAt = performance.now();
        const { host } = await get();
        answers.push({ sentAt, host });
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    changedAt = performance.now();
    await caller.app.update({
      id: appId,
      spec: { ...WEB, lb: { ...WEB.lb, policy: "weighted", weights: [1, 0, 0] } },
    });
    const committedAt = performance.now();
    await poller;
    const lastOther = answers.findLastIndex((answer) => answer.host !== slot0);
    const switchedAt = answers[lastOther + 1]?.sentAt ?? Number.POSITIVE_INFINITY;
    const fromCallMs = switchedAt - changedAt;
    // The first NOTIFY of this app's change after the call began: sent once it committed.
    const notify = notifiedAt.find((n) => n.sentAt >= changedAt && n.payload.includes(appId));
    const fromNotifyMs = switchedAt - (notify?.sentAt ?? Number.POSITIVE_INFINITY);
    const gapMs = answers
      .slice(1)
      .reduce((max, a, i) => Math.max(max, a.sentAt - (answers[i]?.sentAt ?? 0)), 0);
    process.stdout.write(
      `routing change through NOTIFY: ${fromNotifyMs.toFixed(1)} ms from the NOTIFY, ` +
        `${fromCallMs.toFixed(1)} ms from the update call (update took ` +
        `${(committedAt - changedAt).toFixed(1)} ms; ${answers.length} polls, largest gap ` +
        `${gapMs.toFixed(1)} ms)\n`,
    );

    // Before the change round robin never answers twice in a row from one replica.
    expect(answers.filter((a) => a.sentAt < changedAt).some((a) => a.host !== slot0)).toBe(true);
    expect(answers.length - lastOther).toBeGreaterThan(20);
    expect(notify).toBeDefined();
    expect(fromNotifyMs).toBeLessThanOrEqual(ROUTING_CHANGE_MAX_MS);
    // The whole of it, the API call's own transaction included.
    expect(fromCallMs).toBeLessThanOrEqual(ROUTING_CHANGE_MAX_MS * 2);
  });

  it("drains a request in flight through it before a scaled-down replica stops", async () => {
    await caller.app.update({
      id: appId,
      spec: { ...WEB, lb: { ...WEB.lb, policy: "weighted", weights: [0, 0, 1] } },
    });
    const slot2 = await hostOfSlot(2);
    await waitFor(
      "weights [0, 0, 1] in force",
      async () => ((await get()).host === slot2 ? true : undefined),
      {
        timeoutMs: REQUEST_TIMEOUT_MS,
        intervalMs: 20,
      },
    );
    const slow = get("/cgi-bin/slow?ms=2500");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await caller.app.scale({ id: appId, replicas: 2 });
    const result = await slow;

    expect(result).toEqual({ status: 200, host: slot2 });
    await waitFor(
      "the scaled-down replica removed",
      async () => ((await rowsOf(db, appId)).length === 2 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  });
});
