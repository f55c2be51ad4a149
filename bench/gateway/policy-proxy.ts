/**
 * Berth's per-app proxy (AppProxy, what startGateway runs per app) over a route built here,
 * so a policy or a backend address can be set per experiment without a rollout; and a delay
 * shim that makes one real replica slow.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import type { THashKey, TLbPolicy } from "@/server/apps/spec";
import { AppProxy } from "@/server/gateway/proxy";
import type { TBackend } from "@/server/gateway/routes";
import { logger } from "@/server/logger";

import { freePort } from "./nginx";

export type TPolicyProxy = { url: string; close: () => Promise<void> };

const BENCH_WEIGHTS = [3, 1, 1, 1];

/** Weights 3:1:1:1 for the weighted policy, so its spread can be checked against a share. */
export function benchWeight(index: number, policy: TLbPolicy): number {
  return policy === "weighted" ? (BENCH_WEIGHTS[index] ?? 1) : 1;
}

export async function startPolicyProxy(
  policy: TLbPolicy,
  backends: readonly TBackend[],
  hashKey: THashKey = { source: "client-address" },
): Promise<TPolicyProxy> {
  const route = {
    appId: "bench",
    appName: "bench-web",
    servicePort: await freePort(),
    policy,
    mode: "http" as const,
    hashKey,
    backends: backends.map((backend, i) => ({ ...backend, weight: benchWeight(i, policy) })),
  };
  const proxy = new AppProxy(route, { address: "127.0.0.1", log: logger() });
  await proxy.listen();

  return { url: `http://127.0.0.1:${proxy.boundPort}`, close: () => proxy.close(0) };
}

export type TDelayShim = { host: string; port: number; close: () => Promise<void> };

/**
 * A listener on 127.0.0.1 that holds each request for `delayMs`, then forwards it to
 * `target` and returns its answer: the replica behind it, made slow.
 */
export async function startDelayShim(target: TBackend, delayMs: number): Promise<TDelayShim> {
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
  const port = (server.address() as AddressInfo).port;

  return {
    host: "127.0.0.1",
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
