/**
 * Test fixtures for the proxy's unit tests: local backends on 127.0.0.1, a proxy over them,
 * and clean-up after each test. Not a test file itself.
 */
import http from "node:http";
import net from "node:net";

import { afterEach } from "vitest";

import { logger } from "@/server/logger";

import { AppProxy } from "./proxy";
import type { TBackend, TRoute } from "./routes";

/** Bounds every wait in the proxy tests. */
export const STEP_TIMEOUT_MS = 5000;

export const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) {
    await close();
  }
});

export type TBackendServer = {
  backend: TBackend;
  server: http.Server;
  seen: http.IncomingHttpHeaders[];
};

export async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    if (server instanceof http.Server) {
      server.closeAllConnections();
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  return (server.address() as net.AddressInfo).port;
}

/**
 * A backend that answers its name, after `?ms=N`; `?status=N` answers that status, and
 * `?stream=N` sends the headers at once and the body N ms later. Upgrades echo bytes back.
 */
export async function startBackend(name: string, slot = 0): Promise<TBackendServer> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const query = new URL(req.url ?? "/", "http://x").searchParams;
    const ms = Math.min(Number(query.get("ms") ?? 0), STEP_TIMEOUT_MS);
    const streamMs = Math.min(Number(query.get("stream") ?? 0), STEP_TIMEOUT_MS);
    const body = JSON.stringify({ host: name });
    if (streamMs > 0) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": open\n\n");
      setTimeout(() => res.end(`data: ${body}\n\n`), streamMs);

      return;
    }
    res.statusCode = Number(query.get("status") ?? 200);
    setTimeout(() => res.end(body), ms);
  });
  server.on("upgrade", (req, socket: net.Socket) => {
    seen.push(req.headers);
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n",
    );
    socket.pipe(socket);
  });
  const port = await listen(server);
  const backend = { replicaId: name, slot, nodeId: "n", host: "127.0.0.1", port, weight: 1 };

  return { backend, server, seen };
}

/** A port nothing listens on: bound, then closed. */
export async function deadBackend(name: string): Promise<TBackend> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return { replicaId: name, slot: 9, nodeId: "n", host: "127.0.0.1", port, weight: 1 };
}

export function routeOf(backends: TBackend[], overrides: Partial<TRoute> = {}): TRoute {
  return {
    appId: "app",
    appName: "web",
    servicePort: 0,
    policy: "round-robin",
    mode: "http",
    hashKey: { source: "client-address" },
    backends,
    ...overrides,
  };
}

export async function startProxy(route: TRoute) {
  const proxy = new AppProxy(route, { address: "127.0.0.1", log: logger() });
  await proxy.listen();
  closers.push(() => proxy.close(0));

  return { proxy, url: `http://127.0.0.1:${proxy.boundPort}` };
}

export async function hostOf(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });

  return ((await response.json()) as { host: string }).host;
}

export type TGetResult = { status: number; body: string; localPort: number | undefined };

/** One request on `agent` (keep-alive), bounded by STEP_TIMEOUT_MS. */
export function request(
  url: string,
  agent: http.Agent,
  options: http.RequestOptions = {},
): Promise<TGetResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, timeout: STEP_TIMEOUT_MS, ...options }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, localPort }));
    });
    let localPort: number | undefined;
    req.on("socket", (socket) => {
      const note = () => (localPort = socket.localPort);
      if (socket.connecting) {
        socket.once("connect", note);
      } else {
        note();
      }
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** The backend's name in a JSON answer. */
export function hostIn(result: TGetResult): string {
  return (JSON.parse(result.body) as { host: string }).host;
}

/** Waits until `check` holds, polling every 5 ms, for at most STEP_TIMEOUT_MS. */
export async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
