/**
 * The proxy while things change or last: a live policy change under a kept-alive client with
 * a request in flight, latency of streams and tunnels, tunnels cut on close, and consistent
 * hashing on a header or a cookie.
 */
import http from "node:http";
import net from "node:net";

import { describe, expect, it } from "vitest";

import type { TLbPolicy } from "@/server/apps/spec";

import {
  STEP_TIMEOUT_MS,
  closers,
  hostIn,
  request,
  routeOf,
  startBackend,
  startProxy,
} from "./proxy-fixtures";

function newAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  closers.push(() => agent.destroy());

  return agent;
}

/** Opens an upgraded connection through the proxy; resolves once the 101 has arrived. */
async function openTunnel(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  closers.push(() => {
    socket.destroy();
  });
  socket.write("GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no 101")), STEP_TIMEOUT_MS);
    socket.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      if (chunk.toString().startsWith("HTTP/1.1 101")) {
        resolve();
      } else {
        reject(new Error(`no 101: ${chunk.toString()}`));
      }
    });
  });

  return socket;
}

describe("live policy change", () => {
  it("keeps a client's socket and a request in flight across policy changes", async () => {
    const servers = await Promise.all(["a", "b", "c"].map((name, i) => startBackend(name, i)));
    const backends = servers.map((s) => s.backend);
    const { proxy, url } = await startProxy(routeOf(backends));
    const slowAgent = newAgent();
    const agent = newAgent();
    const first = await request(url, agent);
    const slowFirst = await request(url, slowAgent);
    const inFlight = request(`${url}/?ms=600`, slowAgent);
    const policies: TLbPolicy[] = ["weighted", "p2c", "least-connections", "consistent-hash"];
    const results = [];
    for (const policy of policies) {
      const weighted = backends.map((b, i) => ({ ...b, weight: i === 0 ? 3 : 1 }));
      proxy.update(routeOf(weighted, { policy }));
      results.push(await request(url, agent), await request(url, agent));
    }
    const slow = await inFlight;
    const slowAfter = await request(url, slowAgent);

    expect(slow.status).toBe(200);
    expect(results.every((r) => r.status === 200)).toBe(true);
    // The same client connection before, during and after every change.
    expect(new Set(results.map((r) => r.localPort))).toEqual(new Set([first.localPort]));
    expect(slow.localPort).toBe(slowFirst.localPort);
    expect(slowAfter.localPort).toBe(slowFirst.localPort);
  });
});

describe("latency", () => {
  it("measures a stream to its headers and a tunnel to its connect", async () => {
    const backend = await startBackend("a");
    const { proxy, url } = await startProxy(routeOf([backend.backend]));
    const stream = await request(`${url}/?stream=700`, newAgent());
    const tunnel = await openTunnel(proxy.boundPort);
    await new Promise((resolve) => setTimeout(resolve, 500));
    tunnel.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [sample] = proxy.sample();

    expect(stream.status).toBe(200);
    expect(sample?.requestsPerSecond).toBeGreaterThan(0);
    expect(sample?.latencyP99Ms).toBeLessThan(200);
  });
});

describe("closing a listener", () => {
  it("cuts its WebSockets at once instead of waiting out the grace", async () => {
    const backend = await startBackend("ws");
    const { proxy } = await startProxy(routeOf([backend.backend]));
    const tunnel = await openTunnel(proxy.boundPort);
    const isClosed = new Promise<void>((resolve) => tunnel.once("close", () => resolve()));
    tunnel.on("error", () => undefined);
    expect(proxy.tunnelCount).toBe(1);
    const startedAt = Date.now();
    await proxy.close(STEP_TIMEOUT_MS);
    await isClosed;

    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(proxy.tunnelCount).toBe(0);
  });
});

describe("consistent hashing through the proxy", () => {
  it.each([
    { source: "header" as const, name: "x-user", headers: (u: string) => ({ "x-user": u }) },
    {
      source: "cookie" as const,
      name: "session",
      headers: (u: string) => ({ cookie: `a=1; session=${u}` }),
    },
  ])("sends every request of one $source key to one backend", async ({ source, name, headers }) => {
    const servers = await Promise.all(["a", "b", "c"].map((n, i) => startBackend(n, i)));
    const route = routeOf(
      servers.map((s) => s.backend),
      { policy: "consistent-hash", hashKey: { source, name } },
    );
    const { url } = await startProxy(route);
    const agent = newAgent();
    const hostsOfUser = new Map<string, Set<string>>();
    for (let user = 0; user < 30; user += 1) {
      const seen = new Set<string>();
      for (let i = 0; i < 4; i += 1) {
        seen.add(hostIn(await request(url, agent, { headers: headers(`user-${user}`) })));
      }
      hostsOfUser.set(`user-${user}`, seen);
    }
    const used = new Set([...hostsOfUser.values()].flatMap((set) => [...set]));

    expect([...hostsOfUser.values()].every((set) => set.size === 1)).toBe(true);
    expect(used.size).toBe(3);
  });
});
