/** GET /metrics for Prometheus: API tokens only, so a scraper never holds a person's session. */
import type { IncomingMessage, ServerResponse } from "node:http";

import type { Logger } from "pino";

import { principalFromApiToken } from "@/server/auth/service";
import type { PrismaClient } from "@/server/db/generated/client";

import { collectMetrics } from "./collect";

export const METRICS_PATH = "/metrics";

const NEEDS_TOKEN =
  "Metrics need an API token: send 'Authorization: Bearer berth_…'. " +
  "An admin makes one in Settings → API tokens.\n";

function refuse(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, {
      "content-type": "text/plain; charset=utf-8",
      "www-authenticate": 'Bearer realm="berth"',
    })
    .end(message);
}

async function answer(
  deps: { db: PrismaClient; log: Logger },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end("Use GET.\n");

    return;
  }
  const authorization = req.headers.authorization ?? "";
  const bearer = authorization.startsWith("Bearer ") ? authorization.slice(7).trim() : "";
  if (!bearer) {
    refuse(res, 401, NEEDS_TOKEN);

    return;
  }
  const principal = await principalFromApiToken(deps.db, bearer);
  if (!principal) {
    refuse(res, 401, "This API token is unknown or revoked; make a new one in Settings.\n");

    return;
  }
  const { text, contentType } = await collectMetrics(deps.db);
  res.writeHead(200, { "content-type": contentType }).end(req.method === "HEAD" ? "" : text);
}

/** Serves the metrics to a request that carries a valid, unrevoked API token. */
export async function serveMetrics(
  deps: { db: PrismaClient; log: Logger },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    await answer(deps, req, res);
  } catch (error) {
    deps.log.error({ err: error }, "metrics collection failed");
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "text/plain" }).end("Metrics failed; see the logs.\n");
    }
  }
}
