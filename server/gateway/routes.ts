/**
 * The routing table: for each app with a TCP port, its service port and its backends, read
 * from the database. A backend is a ready replica (running, passing its health check) on a
 * ready node, at the address its engine published for the app's first TCP port.
 *
 * Sections: 1 types, 2 service ports, 3 reading routes.
 */
import { z } from "zod";

import { isReplicaReady } from "@/server/apps/status";
import {
  LB_MODES,
  LB_POLICIES,
  type THashKey,
  type TLbPolicy,
  MAX_LB_WEIGHT,
} from "@/server/apps/spec";
import type { PrismaClient } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";

import type { TPortRange } from "./port-range";

export { type TPortRange, parsePortRange } from "./port-range";

// ---------------------------------------------------------------------------------------------
// 1. Types
// ---------------------------------------------------------------------------------------------

export type TBackend = {
  replicaId: string;
  slot: number;
  nodeId: string;
  host: string;
  port: number;
  weight: number;
};

export type TRoute = {
  appId: string;
  appName: string;
  servicePort: number;
  policy: TLbPolicy;
  mode: (typeof LB_MODES)[number];
  hashKey: THashKey;
  backends: TBackend[];
};

/** The part of a stored spec the gateway reads; the rest is the controller's business. */
const ZRouteSpec = z.object({
  ports: z.array(z.object({ containerPort: z.number().int(), protocol: z.string() })).default([]),
  lb: z
    .object({
      policy: z.enum(LB_POLICIES).default("round-robin"),
      mode: z.enum(LB_MODES).default("http"),
      servicePort: z.number().int().optional(),
      weights: z.array(z.number().int().min(0).max(MAX_LB_WEIGHT)).optional(),
      weightByNodeCapacity: z.boolean().default(false),
      hashKey: z
        .union([
          z.object({ source: z.literal("header"), name: z.string() }),
          z.object({ source: z.literal("cookie"), name: z.string() }),
          z.object({ source: z.literal("client-address") }),
        ])
        .default({ source: "client-address" }),
    })
    .prefault({}),
});

type TRouteSpec = z.output<typeof ZRouteSpec>;

const ZPublished = z.array(
  z.object({
    containerPort: z.number().int(),
    protocol: z.string(),
    hostIp: z.string(),
    hostPort: z.number().int(),
  }),
);

// ---------------------------------------------------------------------------------------------
// 2. Service ports
// ---------------------------------------------------------------------------------------------

/** How many times a race for a free port (two gateways allocating at once) is retried. */
const MAX_ALLOCATION_ATTEMPTS = 5;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

/**
 * Checks a port the spec asks for: inside the range, and no other app's. Throws a field
 * error on `lb.servicePort` and changes nothing when it is not.
 */
export async function checkServicePort(
  db: TDb,
  appId: string | undefined,
  port: number,
  range: TPortRange,
): Promise<void> {
  if (port < range.min || port > range.max) {
    const message =
      `Port ${port} is outside the gateway's range ${range.min}-${range.max} ` +
      "(BERTH_GATEWAY_PORTS). Pick one inside it, or leave servicePort out to get one.";
    throw new BerthError("INVALID_INPUT", message, { field: "lb.servicePort" });
  }
  const holder = await db.app.findUnique({
    where: { gatewayPort: port },
    select: { id: true, name: true },
  });
  if (holder && holder.id !== appId) {
    const message =
      `Port ${port} is already the service port of ${holder.name}. ` +
      "Pick another, or leave servicePort out to get a free one.";
    throw new BerthError("INVALID_INPUT", message, { field: "lb.servicePort" });
  }
}

/**
 * The app's service port: the one its spec asks for (checked), else the one it already has
 * when still in range, else the lowest free port of the range, stored on the app. The unique
 * index on App.gatewayPort settles races between gateways.
 */
export async function ensureServicePort(
  db: PrismaClient,
  app: { id: string; gatewayPort: number | null },
  requested: number | undefined,
  range: TPortRange,
): Promise<number> {
  if (requested !== undefined) {
    await checkServicePort(db, app.id, requested, range);
    if (app.gatewayPort !== requested) {
      await db.app.update({ where: { id: app.id }, data: { gatewayPort: requested } });
    }

    return requested;
  }
  const current = app.gatewayPort;
  if (current !== null && current >= range.min && current <= range.max) {
    return current;
  }
  for (let attempt = 0; attempt < MAX_ALLOCATION_ATTEMPTS; attempt += 1) {
    const port = await lowestFreePort(db, range);
    try {
      await db.app.update({ where: { id: app.id }, data: { gatewayPort: port } });

      return port;
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
    }
  }
  throw new BerthError("CONFLICT", "Another gateway kept taking the free port; it is retried.");
}

async function lowestFreePort(db: TDb, range: TPortRange): Promise<number> {
  const taken = await db.app.findMany({
    where: { gatewayPort: { gte: range.min, lte: range.max } },
    select: { gatewayPort: true },
  });
  const used = new Set(taken.map((app) => app.gatewayPort));
  for (let port = range.min; port <= range.max; port += 1) {
    if (!used.has(port)) {
      return port;
    }
  }
  const span = `${range.min}-${range.max}`;
  const message = `Every gateway port in ${span} is taken. Widen BERTH_GATEWAY_PORTS.`;
  throw new BerthError("CONFLICT", message, { field: "lb.servicePort" });
}

// ---------------------------------------------------------------------------------------------
// 3. Reading routes
// ---------------------------------------------------------------------------------------------

const APP_SELECT = {
  id: true,
  name: true,
  gatewayPort: true,
  deleteRequestedAt: true,
  currentRevision: { select: { spec: true } },
} as const;

type TAppRow = {
  id: string;
  name: string;
  gatewayPort: number | null;
  deleteRequestedAt: Date | null;
  currentRevision: { spec: unknown } | null;
};

type TReplicaRow = {
  id: string;
  slot: number;
  state: Parameters<typeof isReplicaReady>[0]["state"];
  health: Parameters<typeof isReplicaReady>[0]["health"];
  hostPorts: unknown;
  node: { id: string; health: string; advertiseAddress: string; cpus: number } | null;
};

/** The gateway's reading of a stored spec: its ports and lb settings with defaults. */
export function routeSpecOf(app: Pick<TAppRow, "currentRevision">): TRouteSpec | undefined {
  const parsed = ZRouteSpec.safeParse(app.currentRevision?.spec);

  return parsed.success ? parsed.data : undefined;
}

/** A published address on all interfaces is reached at the node's advertised address. */
function hostOf(hostIp: string, advertiseAddress: string): string {
  return hostIp === "" || hostIp === "0.0.0.0" || hostIp === "::" ? advertiseAddress : hostIp;
}

/** The replica as a backend, or undefined when it should get no traffic now. */
export function backendOf(
  replica: TReplicaRow,
  containerPort: number,
  spec: TRouteSpec,
): TBackend | undefined {
  const node = replica.node;
  if (!node || node.health !== "ready" || !isReplicaReady(replica)) {
    return undefined;
  }
  const published = ZPublished.safeParse(replica.hostPorts);
  const port = published.success
    ? published.data.find((p) => p.containerPort === containerPort && p.protocol === "tcp")
    : undefined;
  if (!port) {
    return undefined;
  }
  const weight = spec.lb.weightByNodeCapacity
    ? Math.max(1, node.cpus)
    : (spec.lb.weights?.[replica.slot] ?? 1);

  return {
    replicaId: replica.id,
    slot: replica.slot,
    nodeId: node.id,
    host: hostOf(port.hostIp, node.advertiseAddress),
    port: port.hostPort,
    weight,
  };
}

/**
 * One app's route, or undefined when the app is gone, being deleted or declares no TCP
 * port. Throws the service port's field error when the spec asks for a port it cannot have.
 */
export async function loadRoute(
  db: PrismaClient,
  appId: string,
  range: TPortRange,
): Promise<TRoute | undefined> {
  const app = await db.app.findUnique({ where: { id: appId }, select: APP_SELECT });

  return app ? routeOf(db, app, range) : undefined;
}

async function routeOf(
  db: PrismaClient,
  app: TAppRow,
  range: TPortRange,
): Promise<TRoute | undefined> {
  const spec = routeSpecOf(app);
  const firstTcp = spec?.ports.find((port) => port.protocol === "tcp");
  if (!spec || !firstTcp || app.deleteRequestedAt) {
    return undefined;
  }
  const servicePort = await ensureServicePort(db, app, spec.lb.servicePort, range);
  const replicas = await db.replica.findMany({
    where: { appId: app.id, state: "running" },
    orderBy: { slot: "asc" },
    select: {
      id: true,
      slot: true,
      state: true,
      health: true,
      hostPorts: true,
      node: { select: { id: true, health: true, advertiseAddress: true, cpus: true } },
    },
  });
  const backends = replicas.flatMap((replica) => {
    const backend = backendOf(replica, firstTcp.containerPort, spec);

    return backend ? [backend] : [];
  });

  return {
    appId: app.id,
    appName: app.name,
    servicePort,
    policy: spec.lb.policy,
    mode: spec.lb.mode,
    hashKey: spec.lb.hashKey,
    backends,
  };
}

/** The app's replicas being removed: the gateway reports what it has in flight to them. */
export async function stoppingReplicaIds(db: PrismaClient, appId: string): Promise<string[]> {
  const rows = await db.replica.findMany({
    where: { appId, state: "stopping" },
    select: { id: true },
  });

  return rows.map((row) => row.id);
}

/** The ids of every app, for a full refresh; each is then loaded on its own. */
export async function listAppIds(db: PrismaClient): Promise<string[]> {
  const apps = await db.app.findMany({ select: { id: true } });

  return apps.map((app) => app.id);
}
