/**
 * WebSockets through the gateway on the lab, with a real client (`ws`): two replicas of
 * berth-demo/web:1, whose port 8081 echoes each text message as "<hostname>: <text>". The
 * gateway routes to the app's first TCP port (8081); the health check uses 8080. The same
 * session passes in tcp mode, bytes only. Deleting the app closes its WebSockets. Traffic
 * stays on 127.0.0.0/8.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";

import type { TController } from "@/server/controller";
import type { PrismaClient } from "@/server/db/generated/client";
import { logger } from "@/server/logger";
import { openTestDb, waitFor } from "@/server/test/harness";
import { type TTestAppSpec, demoWebSpec, setUpLab, tearDownLab } from "@/server/test/lab";
import { rowsOf, waitForReady } from "@/server/test/replicas";

import { type TGateway, startGateway } from "./index";

const PORT_RANGE = { min: 20700, max: 20799 };
const STEP_TIMEOUT_MS = 5000;

let db: PrismaClient;
let caller: Awaited<ReturnType<typeof setUpLab>>["caller"];
let controller: TController;
let gateway: TGateway;
let appId = "";
let url = "";
const hosts = new Set<string>();

const WS_APP: TTestAppSpec = {
  ...demoWebSpec("ws", 2),
  ports: [
    { containerPort: 8081, protocol: "tcp" },
    { containerPort: 8080, protocol: "tcp" },
  ],
};

type TEcho = { socket: WebSocket; next: () => Promise<string>; closed: Promise<number> };

/** Opens a WebSocket through the gateway; `next` waits for the next message. */
async function connect(): Promise<TEcho> {
  const socket = new WebSocket(url, { handshakeTimeout: STEP_TIMEOUT_MS });
  const inbox: string[] = [];
  const waiters: ((text: string) => void)[] = [];
  socket.on("message", (data: Buffer) => {
    const waiter = waiters.shift();
    if (waiter) {
      waiter(data.toString());
    } else {
      inbox.push(data.toString());
    }
  });
  const closed = new Promise<number>((resolve) => socket.once("close", resolve));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const queued = inbox.shift();
      if (queued !== undefined) {
        resolve(queued);

        return;
      }
      const timer = setTimeout(() => reject(new Error("no echo")), STEP_TIMEOUT_MS);
      waiters.push((text) => {
        clearTimeout(timer);
        resolve(text);
      });
    });

  return { socket, next, closed };
}

beforeAll(async () => {
  db = await openTestDb();
  ({ caller, controller } = await setUpLab(db));
  gateway = await startGateway({ db, log: logger(), address: "127.0.0.1", portRange: PORT_RANGE });
  const app = await caller.app.create(WS_APP);
  appId = app.id;
  await waitForReady(db, appId, 2);
  const route = await waitFor(
    "two backends in the gateway",
    () => {
      const found = gateway.routeOf(appId);

      return found?.backends.length === 2 ? found : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 20 },
  );
  url = `ws://127.0.0.1:${route.servicePort}/echo`;
  // Each replica's hostname, asked on its published 8080.
  for (const row of await rowsOf(db, appId)) {
    const published = row.hostPorts as {
      containerPort: number;
      hostIp: string;
      hostPort: number;
    }[];
    const web = published.find((port) => port.containerPort === 8080);
    const response = await fetch(`http://${web?.hostIp}:${web?.hostPort}/`, {
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    });
    hosts.add(((await response.json()) as { host: string }).host);
  }
});

afterAll(async () => {
  await gateway.stop();
  await tearDownLab(db, controller);
});

describe("WebSocket through the gateway", () => {
  it("echoes messages from the replica it reached, one replica per connection", async () => {
    const first = await connect();
    const second = await connect();
    first.socket.send("hello");
    const one = await first.next();
    first.socket.send("x".repeat(200));
    const long = await first.next();
    second.socket.send("again");
    const two = await second.next();
    const [hostOne] = one.split(": ");
    const [hostTwo] = two.split(": ");
    first.socket.close(1000);
    second.socket.close(1000);

    expect(await first.closed).toBe(1000);
    expect(hosts.has(hostOne ?? "")).toBe(true);
    expect(hosts.has(hostTwo ?? "")).toBe(true);
    expect(hostOne).not.toBe(hostTwo);
    expect(one).toBe(`${hostOne}: hello`);
    expect(long).toBe(`${hostOne}: ${"x".repeat(200)}`);
    expect(two).toBe(`${hostTwo}: again`);
  });

  it("in tcp mode passes the bytes of a WebSocket session both ways untouched", async () => {
    await caller.app.update({ id: appId, spec: { ...WS_APP, lb: { mode: "tcp" } } });
    await waitFor(
      "tcp mode in the gateway",
      () => (gateway.routeOf(appId)?.mode === "tcp" ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    const echo = await connect();
    echo.socket.send("over tcp");
    const answer = await echo.next();
    const [host] = answer.split(": ");
    echo.socket.close(1000);

    expect(await echo.closed).toBe(1000);
    expect(hosts.has(host ?? "")).toBe(true);
    expect(answer).toBe(`${host}: over tcp`);
    // A change of balancing alone replaced no replica.
    expect((await rowsOf(db, appId)).filter((row) => row.state === "running")).toHaveLength(2);
  });

  it("closes the app's WebSockets when the app is deleted", async () => {
    const echo = await connect();
    echo.socket.send("before");
    await echo.next();
    await caller.app.delete({ id: appId });
    const code = await Promise.race([
      echo.closed,
      new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 10_000)),
    ]);

    expect(code).not.toBe("still open");
  });
});
