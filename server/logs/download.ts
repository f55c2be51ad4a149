/**
 * GET /api/logs/download?appId=...&q=...: the stored lines of a log search as a text file,
 * oldest first, written page by page so a large result never sits in memory. Signed in like
 * the API: a session cookie or an API token (Authorization: Bearer ...).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import type { Logger } from "pino";

import { createHttpContext } from "@/server/api/context";
import { hasRole } from "@/server/auth/principal";
import type { PrismaClient } from "@/server/db/generated/client";
import type { TEnv } from "@/server/env";

import type { TLogLine } from "./schema";
import { type TLogFilter, ZLogFilter, searchLogs } from "./search";

export const DOWNLOAD_PATH = "/api/logs/download";
/** A download stops after this many lines, and says so on its last line. */
export const MAX_DOWNLOAD_LINES = 200_000;
const PAGE_LINES = 1000;

type TDownloadDeps = { db: PrismaClient; env: TEnv; log: Logger };

function dateParam(value: string | null): Date | string | undefined {
  if (value === null || value === "") {
    return undefined;
  }
  const at = new Date(value);

  return Number.isNaN(at.getTime()) ? value : at;
}

/** The search filter of the query string: appId, replicaId, q, regex=1, from, to, stream. */
export function filterOfQuery(params: URLSearchParams) {
  return ZLogFilter.safeParse({
    appId: params.get("appId") ?? "",
    replicaId: params.get("replicaId") || undefined,
    text: params.get("q") || undefined,
    isRegex: params.get("regex") === "1" || params.get("regex") === "true",
    from: dateParam(params.get("from")),
    to: dateParam(params.get("to")),
    stream: params.get("stream") || undefined,
  });
}

/** One line of the file: time, replica slot and node, stream, then the text. */
export function formatLine(line: TLogLine): string {
  return `${line.at.toISOString()} r${line.slot}@${line.nodeName} ${line.stream} ${line.line}\n`;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${message}\n`);
}

/** Waits until the socket takes more, so a slow client holds back the database reads. */
async function drained(res: ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

async function writeLines(deps: TDownloadDeps, res: ServerResponse, filter: TLogFilter) {
  let cursor: string | undefined;
  let written = 0;
  while (written < MAX_DOWNLOAD_LINES && !res.destroyed) {
    const limit = Math.min(PAGE_LINES, MAX_DOWNLOAD_LINES - written);
    const page = await searchLogs(deps.db, filter, { limit, cursor, order: "asc" });
    const text = page.lines.map(formatLine).join("");
    written += page.lines.length;
    if (!res.write(text)) {
      await drained(res);
    }
    if (!page.nextCursor) {
      return;
    }
    cursor = page.nextCursor;
  }
  if (written >= MAX_DOWNLOAD_LINES) {
    res.write(`[stopped after ${MAX_DOWNLOAD_LINES} lines: narrow the search for the rest]\n`);
  }
}

export async function handleLogDownload(
  deps: TDownloadDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== "GET") {
    refuse(res, 405, "Use GET.");

    return;
  }
  const ctx = await createHttpContext(deps, req, res);
  if (!ctx.principal) {
    refuse(res, 401, "Sign in first, or send an API token as Authorization: Bearer <token>.");

    return;
  }
  if (!hasRole(ctx.principal.role, "viewer")) {
    refuse(res, 403, "This needs the viewer role.");

    return;
  }
  const parsed = filterOfQuery(new URL(req.url ?? "/", "http://localhost").searchParams);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "query";
    refuse(res, 400, `Check the search: ${field}: ${issue?.message ?? "invalid"}`);

    return;
  }
  const app = await deps.db.app.findUnique({
    where: { id: parsed.data.appId },
    select: { name: true },
  });
  if (!app) {
    refuse(res, 404, "No app with this id. It may have been deleted.");

    return;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  res.writeHead(200, {
    "content-type": "text/plain; charset=utf-8",
    "content-disposition": `attachment; filename="${app.name}-logs-${stamp}.txt"`,
    "cache-control": "no-store",
  });
  try {
    await writeLines(deps, res, parsed.data);
  } catch (error) {
    ctx.log.warn({ err: error, appId: parsed.data.appId }, "log download failed");
    res.write("[the download failed here: try again or narrow the search]\n");
  }
  res.end();
}
