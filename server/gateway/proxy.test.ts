import http from "node:http";
import net from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { logger } from "@/server/logger";

import { AppProxy } from "./proxy";
import type { TBackend, TRoute } from "./routes";

/** Bounds every wait in this file. */
const STEP_TIMEOUT_MS = 5000;

const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) {
    await close();
  }
});

type TBackendServer = { backend: TBackend; server: http.Server; seen: http.IncomingHttpHeaders[] };

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    if (server instanceof http.Server) {
      server.closeAllConnections();
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  return (server.address() as net.AddressInfo).port;
}

/** A backend that answers its name, or waits `?ms=N` first; upgrades echo bytes back. */
async function startBackend(name: string, slot = 0): Promise<TBackendServer> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const ms = Number(new URL(req.url ?? "/", "http://x").searchParams.get("ms") ?? 0);
    setTimeout(() => res.end(JSON.stringify({ host: name })), Math.min(ms, STEP_TIMEOUT_MS));
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
async function deadBackend(name: string): Promise<TBackend> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return { replicaId: name, slot: 9, nodeId: "n", host: "127.0.0.1", port, weight: 1 };
}

function routeOf(backends: TBackend[], overrides: Partial<TRoute> = {}): TRoute {
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

async function startProxy(route: TRoute) {
  const proxy = new AppProxy(route, { address: "127.0.0.1", log: logger() });
  await proxy.listen();
  closers.push(() => proxy.close(0));

  return { proxy, url: `http://127.0.0.1:${proxy.boundPort}` };
}

async function hostOf(url: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });

  return ((await response.json()) as { host: string }).host;
}

describe("http proxy", () => {
  it("spreads requests round robin and adds X-Forwarded-For and -Proto", async () => {
    const servers = await Promise.all(["a", "b", "c"].map((name, i) => startBackend(name, i)));
    const { url } = await startProxy(routeOf(servers.map((s) => s.backend)));
    const hosts: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      hosts.push(await hostOf(`${url}/`));
    }

    expect(["a", "b", "c"].map((h) => hosts.filter((x) => x === h).length)).toEqual([10, 10, 10]);
    expect(servers[0]?.seen[0]?.["x-forwarded-for"]).toBe("127.0.0.1");
    expect(servers[0]?.seen[0]?.["x-forwarded-proto"]).toBe("http");
  });

  it("retries a refused GET once on another backend and ejects the dead one", async () => {
    const live = await startBackend("live");
    const dead = await deadBackend("dead");
    const { proxy, url } = await startProxy(routeOf([dead, live.backend]));
    for (let i = 0; i < 10; i += 1) {
      expect(await hostOf(`${url}/`)).toBe("live");
    }

    expect(proxy.sample().find((s) => s.replicaId === "dead")?.isEjected).toBe(true);
  });

  it("answers a POST to a dead backend 502, and no backend 503, with clear text", async () => {
    const { proxy, url } = await startProxy(routeOf([await deadBackend("dead")]));
    const post = await fetch(url, { method: "POST", body: "x" });
    expect(post.status).toBe(502);
    expect(await post.text()).toMatch(/no replica of web could be reached/);
    proxy.update(routeOf([]));
    const none = await fetch(url);

    expect(none.status).toBe(503);
    expect(await none.text()).toMatch(/web has no ready replica/);
  });

  it("lets a request on a removed backend finish, and sends new ones elsewhere", async () => {
    const [a, b] = await Promise.all([startBackend("a"), startBackend("b", 1)]);
    if (!a || !b) {
      throw new Error("backends did not start");
    }
    const { proxy, url } = await startProxy(routeOf([a.backend, b.backend]));
    const slow = fetch(`${url}/?ms=500`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.update(routeOf([b.backend]));
    const next = await Promise.all([hostOf(url), hostOf(url), hostOf(url)]);
    const response = await slow;

    expect(response.status).toBe(200);
    expect(((await response.json()) as { host: string }).host).toBe("a");
    expect(next).toEqual(["b", "b", "b"]);
  });

  it("switches policy live on a kept-alive connection", async () => {
    const servers = await Promise.all(["a", "b"].map((name, i) => startBackend(name, i)));
    const backends = servers.map((s) => s.backend);
    const { proxy, url } = await startProxy(routeOf(backends));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(() => agent.destroy());
    const get = () =>
      new Promise<string>((resolve, reject) => {
        http
          .get(url, { agent }, (res) => {
            let body = "";
            res.on("data", (chunk: Buffer) => (body += chunk.toString()));
            res.on("end", () => resolve((JSON.parse(body) as { host: string }).host));
          })
          .on("error", reject);
      });
    await get();
    proxy.update(
      routeOf(
        backends.map((b, i) => ({ ...b, weight: i === 0 ? 3 : 1 })),
        {
          policy: "weighted",
        },
      ),
    );
    const hosts: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      hosts.push(await get());
    }

    expect(hosts.filter((h) => h === "a")).toHaveLength(6);
  });

  it("passes an upgrade through both ways", async () => {
    const backend = await startBackend("ws");
    const { proxy } = await startProxy(routeOf([backend.backend]));
    const socket = net.connect(proxy.boundPort, "127.0.0.1");
    closers.push(() => {
      socket.destroy();
    });
    socket.write("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
      if (received.includes("\r\n\r\n") && !received.includes("ping")) {
        socket.write("ping");
      }
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no echo")), STEP_TIMEOUT_MS);
      socket.on("data", () => {
        if (received.endsWith("ping")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });

    expect(received).toMatch(/^HTTP\/1.1 101/);
    expect(backend.seen[0]?.upgrade).toBe("echo");
    expect(backend.seen[0]?.["x-forwarded-for"]).toBe("127.0.0.1");
  });
});

describe("tcp proxy", () => {
  it("forwards bytes, skipping a backend that refuses", async () => {
    const echo = net.createServer((socket) => socket.pipe(socket));
    const port = await listen(echo);
    const live = { replicaId: "live", slot: 0, nodeId: "n", host: "127.0.0.1", port, weight: 1 };
    const dead = await deadBackend("dead");
    const { proxy } = await startProxy(routeOf([dead, live], { mode: "tcp" }));
    for (let i = 0; i < 4; i += 1) {
      const socket = net.connect(proxy.boundPort, "127.0.0.1");
      socket.write(`hello ${i}`);
      const reply = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no reply")), STEP_TIMEOUT_MS);
        socket.once("data", (chunk: Buffer) => {
          clearTimeout(timer);
          resolve(chunk.toString());
        });
      });
      socket.destroy();

      expect(reply).toBe(`hello ${i}`);
    }
  });
});
