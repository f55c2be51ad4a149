/**
 * Every container on every node, Berth's and others', read live from the engines. Nodes are
 * asked at once, each with its own time limit, and a node that fails is reported beside the
 * rows instead of failing the list.
 */
import type { Logger } from "pino";

import type { Node, PrismaClient } from "@/server/db/generated/client";
import { type TContainerSummary, engineClient, listContainers } from "@/server/docker/engine";
import { engineTargetOf } from "@/server/nodes/service";

import {
  capRows,
  filterRows,
  labelledAppIds,
  listFailureMessage,
  skippedMessage,
  sortRows,
  toContainerRow,
} from "./rows";
import {
  MAX_CONTAINER_ROWS,
  type TContainerList,
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

  return {
    rows: capped.rows,
    total: matched.length,
    isTruncated: capped.isTruncated,
    nodes: results.map((result) => result.listing),
    listedAt: new Date(),
  };
}
