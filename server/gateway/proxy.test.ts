import http from "node:http";
import net from "node:net";

import { describe, expect, it } from "vitest";

import {
  STEP_TIMEOUT_MS,
  closers,
  deadBackend,
  hostOf,
  listen,
  routeOf,
  startBackend,
  startProxy,
} from "./proxy-fixtures";

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
