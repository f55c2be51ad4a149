/** Helpers for lab tests that watch an app's replicas converge. */
import type { PrismaClient } from "@/server/db/generated/client";
import { LABEL_APP } from "@/server/docker/labels";

import { waitFor } from "./harness";
import { labContainers } from "./lab";

export const CONVERGE_TIMEOUT_MS = 60_000;
const SAMPLE_MS = 100;

export type TReplicaRow = Awaited<ReturnType<typeof rowsOf>>[number];

export async function rowsOf(db: PrismaClient, appId: string) {
  return db.replica.findMany({
    where: { appId },
    include: { node: true, revision: true },
    orderBy: { slot: "asc" },
  });
}

export function isReady(row: Pick<TReplicaRow, "state" | "health">): boolean {
  return row.state === "running" && (row.health === "healthy" || row.health === "none");
}

/** Waits until exactly `count` replicas exist and all are ready (of revision `number`, if given). */
export async function waitForReady(
  db: PrismaClient,
  appId: string,
  count: number,
  number?: number,
) {
  return waitFor(
    `${count} ready replicas${number === undefined ? "" : ` of revision ${number}`}`,
    async () => {
      const rows = await rowsOf(db, appId);
      const ready = rows.filter(
        (row) => isReady(row) && (number === undefined || row.revision.number === number),
      );

      return rows.length === count && ready.length === count ? ready : undefined;
    },
    { timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: SAMPLE_MS },
  );
}

/**
 * Samples ready replicas and containers until `done` holds: the lowest ready count and the
 * highest container count seen on the way, so a test can hold a change to its budget.
 */
export async function watchUntil(
  db: PrismaClient,
  what: string,
  appId: string,
  done: () => Promise<boolean>,
) {
  let minReady = Number.POSITIVE_INFINITY;
  let maxContainers = 0;
  let maxMoving = 0;
  await waitFor(
    what,
    async () => {
      const [rows, containers] = await Promise.all([
        rowsOf(db, appId),
        labContainers(`${LABEL_APP}=${appId}`),
      ]);
      minReady = Math.min(minReady, rows.filter(isReady).length);
      maxContainers = Math.max(maxContainers, containers.length);
      maxMoving = Math.max(maxMoving, rows.filter((row) => row.moveToNodeId !== null).length);

      return (await done()) ? true : undefined;
    },
    { timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: SAMPLE_MS },
  );

  return { minReady, maxContainers, maxMoving };
}
