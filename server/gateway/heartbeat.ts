/**
 * Gateway processes make themselves known through a GatewayProcess row each: a heartbeat with
 * the database's clock, the listeners they could not open, and for every replica they have
 * seen stopping, what they still have in flight to it. The controller's drain reads these
 * rows; the app page shows the listen errors.
 */
import { z } from "zod";

import type { TDb } from "@/server/db/types";

export const GATEWAY_HEARTBEAT_INTERVAL_MS = 1000;
/** A gateway unseen for this long is taken for gone: drains stop waiting on it. */
export const GATEWAY_LIVE_MS = 3 * GATEWAY_HEARTBEAT_INTERVAL_MS;
/** Rows of gateways unseen for this long are deleted by the other gateways. */
export const GATEWAY_ROW_RETENTION_MS = 60 * 60 * 1000;

export const ZListenError = z.object({
  appId: z.string(),
  port: z.number().int(),
  message: z.string(),
  since: z.coerce.date(),
});
export type TListenError = z.infer<typeof ZListenError>;

const ZDraining = z.record(z.string(), z.number().int().min(0));

export type TGatewayReport = {
  id: string;
  hostname: string;
  address: string;
  /** replicaId → requests and connections in flight, for each stopping replica seen. */
  draining: Record<string, number>;
  listenErrors: TListenError[];
};

export type TLiveGateway = {
  id: string;
  hostname: string;
  address: string;
  draining: Record<string, number>;
  listenErrors: TListenError[];
};

/** Writes this gateway's row, stamped with the database's clock. */
export async function writeHeartbeat(db: TDb, report: TGatewayReport): Promise<void> {
  const draining = JSON.stringify(report.draining);
  const listenErrors = JSON.stringify(report.listenErrors);
  await db.$executeRaw`
    INSERT INTO "GatewayProcess" ("id", "hostname", "address", "draining", "listenErrors")
    VALUES (${report.id}, ${report.hostname}, ${report.address}, ${draining}::jsonb,
      ${listenErrors}::jsonb)
    ON CONFLICT ("id") DO UPDATE SET "seenAt" = now(), "address" = EXCLUDED."address",
      "draining" = EXCLUDED."draining", "listenErrors" = EXCLUDED."listenErrors"`;
}

/** Deletes this gateway's row (a clean stop) and rows of gateways long gone. */
export async function removeHeartbeat(db: TDb, id: string): Promise<void> {
  await db.gatewayProcess.deleteMany({ where: { id } });
}

export async function pruneHeartbeats(db: TDb): Promise<void> {
  await db.$executeRaw`
    DELETE FROM "GatewayProcess"
    WHERE "seenAt" < now() - ${GATEWAY_ROW_RETENTION_MS}::integer * interval '1 millisecond'`;
}

type TRow = {
  id: string;
  hostname: string;
  address: string;
  draining: unknown;
  listenErrors: unknown;
};

/** Gateways seen within GATEWAY_LIVE_MS, by the database's clock. */
export async function liveGateways(db: TDb): Promise<TLiveGateway[]> {
  const rows = await db.$queryRaw<TRow[]>`
    SELECT "id", "hostname", "address", "draining", "listenErrors" FROM "GatewayProcess"
    WHERE "seenAt" > now() - ${GATEWAY_LIVE_MS}::integer * interval '1 millisecond'`;

  return rows.map((row) => ({
    id: row.id,
    hostname: row.hostname,
    address: row.address,
    draining: ZDraining.catch({}).parse(row.draining),
    listenErrors: z.array(ZListenError).catch([]).parse(row.listenErrors),
  }));
}

export type TDrainVerdict =
  | { isDrained: true }
  | { isDrained: false; waitingOn: { gateway: string; inFlight: number | undefined }[] };

/**
 * Whether every live gateway has seen the replica stopping (it reports it) and has nothing in
 * flight to it. No live gateway means nothing can be in flight. Pure.
 */
export function drainVerdict(gateways: readonly TLiveGateway[], replicaId: string): TDrainVerdict {
  const waitingOn = gateways
    .map((gateway) => ({ gateway: gateway.id, inFlight: gateway.draining[replicaId] }))
    .filter((entry) => entry.inFlight === undefined || entry.inFlight > 0);

  return waitingOn.length === 0 ? { isDrained: true } : { isDrained: false, waitingOn };
}
