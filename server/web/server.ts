/**
 * The web role: one HTTP server for the tRPC API (queries, mutations, and live subscriptions
 * over server-sent events) and the Next.js pages.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import next from "next";
import type { Logger } from "pino";

import { createHttpContext } from "@/server/api/context";
import { appRouter } from "@/server/api/root";
import { MAX_REQUEST_BYTES } from "@/server/api/trpc";
import type { PrismaClient } from "@/server/db/generated/client";
import type { TEnv } from "@/server/env";
import { DOWNLOAD_PATH, handleLogDownload } from "@/server/logs/download";
import { METRICS_PATH, serveMetrics } from "@/server/metrics/http";

export type TWebServer = { url: string; close: () => Promise<void> };

export async function startWebServer(deps: {
  db: PrismaClient;
  env: TEnv;
  log: Logger;
  projectDir: string;
}): Promise<TWebServer> {
  const { env, log } = deps;
  const nextApp = next({ dev: env.BERTH_DEV, dir: deps.projectDir, quiet: !env.BERTH_DEV });
  await nextApp.prepare();
  const renderPage = nextApp.getRequestHandler();
  const api = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    maxBodySize: MAX_REQUEST_BYTES,
    createContext: ({ req, res }) => createHttpContext(deps, req, res),
  });
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/api/trpc/")) {
      api(req, res);

      return;
    }
    if (url === METRICS_PATH || url.startsWith(`${METRICS_PATH}?`)) {
      void serveMetrics(deps, req, res);

      return;
    }
    if (url === DOWNLOAD_PATH || url.startsWith(`${DOWNLOAD_PATH}?`)) {
      void handleLogDownload(deps, req, res).catch((error: unknown) => {
        log.error({ err: error, url }, "log download failed");
        if (!res.headersSent) {
          res.writeHead(500).end("Internal error");
        }
      });

      return;
    }
    if (url === "/api/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');

      return;
    }
    void renderPage(req, res).catch((error: unknown) => {
      log.error({ err: error, url }, "page render failed");
      if (!res.headersSent) {
        res.writeHead(500).end("Internal error");
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.BERTH_PORT, env.BERTH_HOST, resolve);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${env.BERTH_HOST}:${address.port}`;
  log.info({ url }, "web listening");

  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await nextApp.close();
    },
  };
}
