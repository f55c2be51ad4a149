/**
 * A benchmark child process, driven over IPC by bench/gateway/workers.ts, so that no part of
 * the benchmark shares an event loop with another: the load generator (open loop, closed
 * loop, counting runs; its timing stays inside this process), the delay shim that makes one
 * replica slow, Berth's per-app proxy (AppProxy) over a route the benchmark builds, or the
 * plainest proxy Node can be (node:http in and out), which shows what Node itself costs.
 *
 *   node --import tsx bench/gateway/worker.ts    (started by workers.ts, never by hand)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import type { THashKey, TLbPolicy } from "@/server/apps/spec";
import { AppProxy } from "@/server/gateway/proxy";
import type { TBackend } from "@/server/gateway/routes";
import { logger } from "@/server/logger";

import { type TLoadResult, type TRequestOptions, closedLoop, countHosts, openLoop } from "./load";

export type TLoadJob = {
  target: string;
  path?: string;
  /** Sends this header with a distinct value per request (user-1, user-2, ...). */
  userHeader?: string;
};

export type TJob =
  | (TLoadJob & { kind: "open"; perSecond: number; seconds: number })
  | (TLoadJob & { kind: "closed"; clients: number; seconds: number })
  | (TLoadJob & { kind: "count"; count: number; clients: number })
  | { kind: "shim"; target: { host: string; port: number }; delayMs: number }
  | { kind: "proxy"; policy: TLbPolicy; backends: TBackend[]; hashKey: THashKey }
  | { kind: "plain-proxy"; backends: TBackend[] }
  | { kind: "close" };

export type TJobResult = TLoadResult | { host: string; port: number } | { url: string } | null;

type TMessage = { id: number; job: TJob };

let closers: (() => Promise<void>)[] = [];

function requestOptions(job: TLoadJob): TRequestOptions {
  const name = job.userHeader;
  if (!name) {
    return { path: job.path };
  }
  let user = 0;

  return { path: job.path, headers: () => ({ [name]: `user-${(user += 1)}` }) };
}

/** Holds each request `delayMs`, then forwards it to `target` and returns its answer. */
async function startShim(target: { host: string; port: number }, delayMs: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      const upstream = http.get(
        { host: target.host, port: target.port, path: req.url, agent },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("end", () => {
            const body = Buffer.concat(chunks);
            res.writeHead(incoming.statusCode ?? 502, {
              "content-type": incoming.headers["content-type"] ?? "application/json",
              "content-length": body.length,
            });
            res.end(body);
          });
        },
      );
      upstream.on("error", () => {
        res.writeHead(502).end();
      });
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
  });

  return { host: "127.0.0.1", port: (server.address() as AddressInfo).port };
}

async function startProxy(policy: TLbPolicy, backends: TBackend[], hashKey: THashKey) {
  const route = {
    appId: "bench",
    appName: "bench-web",
    servicePort: 0,
    policy,
    mode: "http" as const,
    hashKey,
    backends,
  };
  const proxy = new AppProxy(route, { address: "127.0.0.1", log: logger() });
  await proxy.listen();
  closers.push(() => proxy.close(0));

  return { url: `http://127.0.0.1:${proxy.boundPort}` };
}

/**
 * Round robin over keep-alive agents and nothing else: no policy, ejection, retry, metrics
 * or forwarded headers. Only the hop-by-hop Connection header of the answer is dropped, so
 * that a replica closing its connection does not close the client's.
 */
async function startPlainProxy(backends: TBackend[]) {
  const agents = backends.map(() => new http.Agent({ keepAlive: true }));
  let next = 0;
  const server = http.createServer((req, res) => {
    const index = next;
    next = (next + 1) % backends.length;
    const { host, port } = backends[index] ?? { host: "127.0.0.1", port: 0 };
    const upstream = http.request(
      { host, port, method: req.method, path: req.url, headers: req.headers, agent: agents[index] },
      (incoming) => {
        const headers = { ...incoming.headers };
        delete headers.connection;
        res.writeHead(incoming.statusCode ?? 502, headers);
        incoming.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (res.headersSent) {
        res.destroy();
      } else {
        res.writeHead(502).end();
      }
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agents.forEach((agent) => agent.destroy());
  });

  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function run(job: TJob): Promise<TJobResult> {
  switch (job.kind) {
    case "open":
      return openLoop(job.target, job.perSecond, job.seconds, requestOptions(job));
    case "closed":
      return closedLoop(job.target, job.clients, job.seconds, requestOptions(job));
    case "count":
      return countHosts(job.target, job.count, job.clients, requestOptions(job));
    case "shim":
      return startShim(job.target, job.delayMs);
    case "proxy":
      return startProxy(job.policy, job.backends, job.hashKey);
    case "plain-proxy":
      return startPlainProxy(job.backends);
    case "close": {
      const pending = closers;
      closers = [];
      await Promise.all(pending.map((close) => close()));

      return null;
    }
  }
}

process.on("message", (message: TMessage) => {
  run(message.job).then(
    (value) => process.send?.({ id: message.id, value }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
