/**
 * What the proxy counts as a backend's failure, and what not: client aborts, 5xx, refused
 * connections (GET and HEAD retried), and reused upstream sockets.
 */
import http from "node:http";
import type net from "node:net";

import { describe, expect, it } from "vitest";

import {
  STEP_TIMEOUT_MS,
  closers,
  deadBackend,
  listen,
  request,
  routeOf,
  startBackend,
  startProxy,
  until,
} from "./proxy-fixtures";

/** A backend that answers every request `status`, counting requests and its sockets. */
async function fixedBackend(name: string, status: number, slot: number) {
  const sockets = new Set<number>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    sockets.add(req.socket.remotePort ?? 0);
    res.statusCode = status;
    res.end(JSON.stringify({ host: name }));
  });
  const port = await listen(server);

  return {
    backend: { replicaId: name, slot, nodeId: "n", host: "127.0.0.1", port, weight: 1 },
    requests: () => requests,
    sockets,
  };
}

function newAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  closers.push(() => agent.destroy());

  return agent;
}

describe("proxy failures", () => {
  it("counts a client that aborts against no backend, and retries nothing for it", async () => {
    const servers = await Promise.all(["a", "b"].map((name, i) => startBackend(name, i)));
    const { proxy, url } = await startProxy(routeOf(servers.map((s) => s.backend)));
    const aborted = Array.from({ length: 6 }, () => {
      const req = http.get(`${url}/?ms=2000`);
      req.on("error", () => undefined);

      return req;
    });
    await until("every request at a backend", () => servers.every((s) => s.seen.length === 3));
    aborted.forEach((req) => req.destroy());
    await until("nothing in flight", () => proxy.sample().every((s) => s.activeConnections === 0));
    // Give a wrongly retried request time to reach a backend.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const samples = proxy.sample();

    expect(servers.map((s) => s.seen.length)).toEqual([3, 3]);
    expect(proxy.ejectedIds).toEqual([]);
    expect(samples.every((s) => s.errorsPerSecond === 0)).toBe(true);
  });

  it("ejects a backend that answers 5xx three times in a row", async () => {
    const good = await fixedBackend("good", 200, 0);
    const bad = await fixedBackend("bad", 500, 1);
    const { proxy, url } = await startProxy(routeOf([good.backend, bad.backend]));
    const agent = newAgent();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      statuses.push((await request(url, agent)).status);
    }

    expect(statuses.filter((s) => s === 500)).toHaveLength(3);
    expect(statuses.slice(6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(proxy.ejectedIds).toEqual(["bad"]);
    expect(bad.requests()).toBe(3);
  });

  it("retries a HEAD refused by one backend on another", async () => {
    const live = await fixedBackend("live", 200, 0);
    const dead = await deadBackend("dead");
    const { url } = await startProxy(routeOf([dead, live.backend]));
    const agent = newAgent();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await request(url, agent, { method: "HEAD" })).status);
    }

    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(live.requests()).toBe(6);
  });

  it("reuses a kept-alive upstream socket without piling listeners on it", async () => {
    const backend = await fixedBackend("a", 200, 0);
    const { url } = await startProxy(routeOf([backend.backend]));
    const agent = newAgent();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    closers.push(() => {
      process.off("warning", onWarning);
    });
    for (let i = 0; i < 40; i += 1) {
      expect((await request(url, agent)).status).toBe(200);
    }
    // Warnings are emitted on a later tick.
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(backend.sockets.size).toBe(1);
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
  });

  it("counts a tcp connection its backend refuses as a failure", async () => {
    const dead = await deadBackend("dead");
    const { proxy } = await startProxy(routeOf([dead], { mode: "tcp" }));
    const { connect } = await import("node:net");
    const socket: net.Socket = connect(proxy.boundPort, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("not closed")), STEP_TIMEOUT_MS);
      socket.on("close", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.on("error", () => undefined);
    });

    expect(proxy.sample()[0]?.errorsPerSecond).toBeGreaterThan(0);
  });
});
