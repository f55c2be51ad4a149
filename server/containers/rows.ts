/**
 * Pure steps of the fleet-wide container list: engine summaries to rows, search, order, cap,
 * and the words a failed node is reported with. No I/O here; unit tested in rows.test.ts.
 */
import type { TContainerSummary } from "@/server/docker/engine";
import { LABEL_APP, LABEL_REPLICA, LABEL_REVISION } from "@/server/docker/labels";
import { BerthError } from "@/server/errors";

import { publishedPortsOf } from "./ports";
import type { TContainerRow, TContainerStateFilter } from "./schema";

const SHORT_ID_LENGTH = 12;

type TNodeRef = { id: string; name: string };
type TAppRef = { id: string; name: string };

/** The app ids that Berth labels name, to look up in one query. */
export function labelledAppIds(summaries: readonly TContainerSummary[]): string[] {
  const ids = summaries.flatMap((summary) => {
    const id = summary.labels[LABEL_APP];

    return id === undefined ? [] : [id];
  });

  return [...new Set(ids)];
}

export function toContainerRow(
  node: TNodeRef,
  summary: TContainerSummary,
  apps: ReadonlyMap<string, TAppRef>,
): TContainerRow {
  const labels = summary.labels;
  const appId = labels[LABEL_APP];

  return {
    nodeId: node.id,
    nodeName: node.name,
    id: summary.id,
    shortId: summary.id.slice(0, SHORT_ID_LENGTH),
    name: summary.name,
    image: summary.image,
    state: summary.state,
    status: summary.status,
    createdAt: summary.createdAt,
    ports: publishedPortsOf(summary.ports),
    isBerth: LABEL_REPLICA in labels,
    app: appId === undefined ? null : (apps.get(appId) ?? null),
    replicaId: labels[LABEL_REPLICA] ?? null,
    revisionId: labels[LABEL_REVISION] ?? null,
    usage: null,
    usageNote: null,
  };
}

/** A container's newest stats point, as the list shows it. */
export type TUsagePoint = {
  at: Date;
  cpuPercent: number;
  memoryBytes: number;
  memoryPercent: number;
};

export const USAGE_NOTES = {
  notRunning: "Not running",
  notSampled: "Berth samples its own replicas only; docker stats on the node shows this container",
  otherInstallation: "A replica of another Berth installation: it is sampled there",
  noSample: "No stats sample yet: the collector reads each replica every 10 s",
} as const;

/** The containers whose usage Berth can know: running replicas of this installation's apps. */
export function sampledContainerIds(rows: readonly TContainerRow[]): string[] {
  return rows.filter((row) => row.state === "running" && row.app).map((row) => row.id);
}

/** Each row with its usage, or a note that says why it has none. */
export function withUsage(
  rows: readonly TContainerRow[],
  points: ReadonlyMap<string, TUsagePoint>,
): TContainerRow[] {
  return rows.map((row) => {
    const point = points.get(row.id);
    if (row.state !== "running") {
      return { ...row, usage: null, usageNote: USAGE_NOTES.notRunning };
    }
    if (!row.app) {
      const note = row.isBerth ? USAGE_NOTES.otherInstallation : USAGE_NOTES.notSampled;

      return { ...row, usage: null, usageNote: note };
    }
    if (!point) {
      return { ...row, usage: null, usageNote: USAGE_NOTES.noSample };
    }
    const { at, cpuPercent, memoryBytes, memoryPercent } = point;

    return { ...row, usage: { at, cpuPercent, memoryBytes, memoryPercent }, usageNote: null };
  });
}

function matchesWord(row: TContainerRow, word: string): boolean {
  const fields = [row.name, row.image, row.nodeName, row.app?.name ?? "", row.state];

  return row.id.startsWith(word) || fields.some((field) => field.toLowerCase().includes(word));
}

/**
 * Rows matching the state filter and every word of the query; a word matches the name, image,
 * node name, app name or state anywhere, or the container id at its start. Case-insensitive.
 */
export function filterRows(
  rows: readonly TContainerRow[],
  query: string,
  state: TContainerStateFilter,
): TContainerRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);

  return rows.filter(
    (row) =>
      (state === "all" || row.state === state) && words.every((word) => matchesWord(row, word)),
  );
}

/** Running first, then by name, then by node: replicas of one app sit together. */
export function sortRows(rows: readonly TContainerRow[]): TContainerRow[] {
  return rows.toSorted((a, b) => {
    const running = Number(b.state === "running") - Number(a.state === "running");
    if (running !== 0) {
      return running;
    }
    const byName = a.name.localeCompare(b.name);

    return byName !== 0 ? byName : a.nodeName.localeCompare(b.nodeName);
  });
}

/** The first `max` rows, and whether any were left out. */
export function capRows<T>(rows: readonly T[], max: number): { rows: T[]; isTruncated: boolean } {
  return { rows: rows.slice(0, max), isTruncated: rows.length > max };
}

/**
 * What a node that could not list its containers is reported with. A BerthError already says
 * what to check; anything else gets the general advice.
 */
export function listFailureMessage(nodeName: string, error: unknown): string {
  const prefix = `node ${nodeName}: could not list containers`;
  if (error instanceof BerthError && error.code !== "ENGINE_ERROR") {
    return `${prefix}: ${error.message}`;
  }
  const reason = error instanceof Error ? error.message : String(error);

  return `${prefix}: ${reason.replace(/\.$/, "")}; check that the engine is up`;
}

/** What a node skipped for being unreachable is reported with. */
export function skippedMessage(nodeName: string, lastError: string | null): string {
  const reason = lastError ? `: ${lastError.replace(/\.$/, "")}` : "";

  return (
    `node ${nodeName}: not listed, it stopped answering heartbeats${reason}; ` +
    "its containers show again once it answers"
  );
}
