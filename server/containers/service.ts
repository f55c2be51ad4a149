/**
 * Every container on every node, Berth's and others', read live from the engines. Nodes are
 * asked at once, each with its own time limit, and a node that fails is reported beside the
 * rows instead of failing the list.
 */
import type { Logger } from "pino";

import type { Node, PrismaClient } from "@/server/db/generated/client";
import { type TContainerSummary, engineClient, listContainers } from "@/server/docker/engine";
import { engineTargetOf } from "@/server/nodes/service";
import { liveStatsHub } from "@/server/stats/live-hub";
import { currentStatsOfContainers } from "@/server/stats/service";

import {
  capRows,
  filterRows,
  labelledAppIds,
  listFailureMessage,
  sampledContainerIds,
  skippedMessage,
  sortRows,
  toContainerRow,
  type TUsagePoint,
  withUsage,
} from "./rows";
import {
  MAX_CONTAINER_ROWS,
  type TContainerList,
  type TContainerRow,
  type TContainerListInput,
  type TNodeListing,
} from "./schema";

/** How long one node may take to list its containers; a slower one is reported, not awaited. */
export const NODE_LIST_TIMEOUT_MS = 4_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TListOptions = { log?: Logger; timeoutMs?: number; maxRows?: number };

type TNodeResult = { listing: TNodeListing; summaries: TContainerSummary[] };

async function listNode(node: Node, timeoutMs: number, log?: Logger): Promise<TNodeResult> {
  const base = { nodeId: node.id, nodeName: node.name };
  if (node.health === "unreachable") {
    const error = skippedMessage(node.name, node.lastError);

    return { listing: { ...base, outcome: "skipped", containerCount: 0, error }, summaries: [] };
  }
  try {
    const target = engineTargetOf(node);
    const summaries = await listContainers(engineClient(target, timeoutMs), target, timeoutMs);
    const listing = { ...base, outcome: "listed" as const, containerCount: summaries.length };

    return { listing: { ...listing, error: null }, summaries };
  } catch (error) {
    const message = listFailureMessage(node.name, error);
    log?.info({ nodeId: node.id, err: error }, "node did not list its containers");

    return {
      listing: { ...base, outcome: "failed", containerCount: 0, error: message },
      summaries: [],
    };
  }
}

/** A live 1 s point stands in for the stored one while it is at most this old. */
const LIVE_POINT_FRESH_MS = 2500;

/**
 * The newest point of each running replica container: the stored 10 s sample, or the live
 * point of a stream this process has open (someone is watching its chart) when that is newer.
 * No engine is asked: reading the stats of every listed container on every refresh is what
 * the collector exists to avoid.
 */
async function usagePoints(db: PrismaClient, rows: readonly TContainerRow[]) {
  const ids = sampledContainerIds(rows);
  const points: Map<string, TUsagePoint> = await currentStatsOfContainers(db, ids);
  const now = Date.now();
  for (const id of ids) {
    const live = liveStatsHub().latest(id);
    const stored = points.get(id);
    const isFresh = live && now - live.at.getTime() <= LIVE_POINT_FRESH_MS;
    if (live && isFresh && (!stored || live.at > stored.at)) {
      points.set(id, live);
    }
  }

  return points;
}

/** Names of the apps that Berth labels point at, for the ones this installation has. */
async function appsByLabel(db: PrismaClient, summaries: readonly TContainerSummary[]) {
  const ids = labelledAppIds(summaries).filter((id) => UUID.test(id));
  if (ids.length === 0) {
    return new Map<string, { id: string; name: string }>();
  }
  const apps = await db.app.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true },
  });

  return new Map(apps.map((app) => [app.id, app]));
}

/**
 * Lists, filters and orders the containers of every node. Unreachable nodes are skipped (the
 * heartbeat already knows they do not answer); the others are asked concurrently.
 */
export async function listAllContainers(
  db: PrismaClient,
  input: TContainerListInput,
  options: TListOptions = {},
): Promise<TContainerList> {
  const timeoutMs = options.timeoutMs ?? NODE_LIST_TIMEOUT_MS;
  const nodes = await db.node.findMany({ orderBy: { name: "asc" } });
  const results = await Promise.all(nodes.map((node) => listNode(node, timeoutMs, options.log)));
  const apps = await appsByLabel(
    db,
    results.flatMap((result) => result.summaries),
  );

  const rows = results.flatMap(({ listing, summaries }) =>
    summaries.map((summary) =>
      toContainerRow({ id: listing.nodeId, name: listing.nodeName }, summary, apps),
    ),
  );
  const matched = sortRows(filterRows(rows, input.query, input.state));
  const capped = capRows(matched, options.maxRows ?? MAX_CONTAINER_ROWS);
  const points = await usagePoints(db, capped.rows);

  return {
    rows: withUsage(capped.rows, points),
    total: matched.length,
    isTruncated: capped.isTruncated,
    nodes: results.map((result) => result.listing),
    listedAt: new Date(),
  };
}
