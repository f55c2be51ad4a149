/** What the app page shows of the gateway: the service address and per-replica metrics. */
import { z } from "zod";

import { isReplicaReady } from "@/server/apps/status";
import { LB_MODES, LB_POLICIES } from "@/server/apps/spec";
import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";

import { liveGateways } from "./heartbeat";
import { GATEWAY_STATS_INTERVAL_MS } from "./index";
import { routeSpecOf } from "./routes";

/** Samples older than three write intervals are from a gateway that stopped: not shown. */
export const STATS_FRESH_MS = 3 * GATEWAY_STATS_INTERVAL_MS;

export const ZGatewayReplica = z.object({
  replicaId: z.string(),
  slot: z.number().int(),
  nodeName: z.string().nullable(),
  state: z.string(),
  isReady: z.boolean(),
  requestsPerSecond: z.number(),
  errorsPerSecond: z.number(),
  latencyP50Ms: z.number(),
  latencyP99Ms: z.number(),
  activeConnections: z.number().int(),
  isEjected: z.boolean(),
  /** When the newest sample was taken; null when no gateway has measured it yet. */
  measuredAt: z.date().nullable(),
});

export const ZGatewayView = z.object({
  appId: z.string(),
  /** `address:port` clients connect to; null while the app has no TCP port or no port yet. */
  serviceAddress: z.string().nullable(),
  servicePort: z.number().int().nullable(),
  policy: z.enum(LB_POLICIES).nullable(),
  mode: z.enum(LB_MODES).nullable(),
  /** Gateway processes that sent samples recently. */
  gateways: z.number().int(),
  /** Live gateways that could not open the app's listener, and why. */
  listenErrors: z.array(
    z.object({ gateway: z.string(), port: z.number().int(), message: z.string(), since: z.date() }),
  ),
  replicas: z.array(ZGatewayReplica),
});

export type TGatewayView = z.infer<typeof ZGatewayView>;
type TStatRow = {
  replicaId: string;
  gateway: string;
  at: Date;
  requestsPerSecond: number;
  errorsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  activeConnections: number;
  isEjected: boolean;
};

/** The newest sample of each (replica, gateway), summed over gateways (latency: the worst). */
export function mergeSamples(rows: readonly TStatRow[]) {
  const newest = new Map<string, TStatRow>();
  for (const row of rows) {
    const key = `${row.replicaId} ${row.gateway}`;
    const seen = newest.get(key);
    if (!seen || seen.at < row.at) {
      newest.set(key, row);
    }
  }
  const byReplica = new Map<string, Omit<TStatRow, "gateway" | "replicaId">>();
  for (const row of newest.values()) {
    const sum = byReplica.get(row.replicaId);
    if (!sum) {
      byReplica.set(row.replicaId, { ...row });
      continue;
    }
    sum.at = sum.at < row.at ? row.at : sum.at;
    sum.requestsPerSecond += row.requestsPerSecond;
    sum.errorsPerSecond += row.errorsPerSecond;
    sum.latencyP50Ms = Math.max(sum.latencyP50Ms, row.latencyP50Ms);
    sum.latencyP99Ms = Math.max(sum.latencyP99Ms, row.latencyP99Ms);
    sum.activeConnections += row.activeConnections;
    sum.isEjected ||= row.isEjected;
  }

  return { byReplica, gateways: new Set([...newest.values()].map((row) => row.gateway)).size };
}

/** The app's gateway view; `address` is BERTH_GATEWAY_ADDRESS. */
export async function gatewayView(
  db: TDb,
  appId: string,
  address: string,
  now = new Date(),
): Promise<TGatewayView> {
  const app = await db.app.findUnique({
    where: { id: appId },
    select: { id: true, gatewayPort: true, currentRevision: { select: { spec: true } } },
  });
  if (!app) {
    throw new BerthError("NOT_FOUND", "No such app. It may have been removed.");
  }
  const spec = routeSpecOf(app);
  const hasTcp = spec?.ports.some((port) => port.protocol === "tcp") ?? false;
  const [replicas, rows, gatewayRows] = await Promise.all([
    db.replica.findMany({
      where: { appId },
      orderBy: [{ slot: "asc" }, { createdAt: "desc" }],
      select: { id: true, slot: true, state: true, health: true, node: { select: { name: true } } },
    }),
    db.gatewayStat.findMany({
      where: { appId, at: { gte: new Date(now.getTime() - STATS_FRESH_MS) } },
    }),
    hasTcp ? liveGateways(db) : Promise.resolve([]),
  ]);
  const listenErrors = gatewayRows.flatMap((gateway) =>
    gateway.listenErrors
      .filter((failure) => failure.appId === appId)
      .map(({ port: failedPort, message, since }) => ({
        gateway: gateway.id,
        port: failedPort,
        message,
        since,
      })),
  );
  const { byReplica, gateways } = mergeSamples(rows);
  const port = hasTcp ? app.gatewayPort : null;
  const host = address.includes(":") ? `[${address}]` : address;

  return {
    appId,
    serviceAddress: port === null ? null : `${host}:${port}`,
    servicePort: port,
    policy: hasTcp ? (spec?.lb.policy ?? null) : null,
    mode: hasTcp ? (spec?.lb.mode ?? null) : null,
    gateways,
    listenErrors,
    replicas: replicas.map((replica) => {
      const stats = byReplica.get(replica.id);

      return {
        replicaId: replica.id,
        slot: replica.slot,
        nodeName: replica.node?.name ?? null,
        state: replica.state,
        isReady: isReplicaReady(replica),
        requestsPerSecond: stats?.requestsPerSecond ?? 0,
        errorsPerSecond: stats?.errorsPerSecond ?? 0,
        latencyP50Ms: stats?.latencyP50Ms ?? 0,
        latencyP99Ms: stats?.latencyP99Ms ?? 0,
        activeConnections: stats?.activeConnections ?? 0,
        isEjected: stats?.isEjected ?? false,
        measuredAt: stats?.at ?? null,
      };
    }),
  };
}
