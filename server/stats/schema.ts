/**
 * What the stats procedures take and give: points of resource use for a replica, an app (its
 * replicas summed) or a node (its containers summed, with its capacity and reservations).
 */
import { z } from "zod";

export const STAT_SCOPES = ["replica", "app", "node"] as const;
export const STAT_RANGES = ["15m", "1h", "24h", "7d"] as const;

export type TStatScope = (typeof STAT_SCOPES)[number];
export type TStatRange = (typeof STAT_RANGES)[number];

export const ZStatTarget = z.strictObject({
  scope: z.enum(STAT_SCOPES, { error: `scope must be one of ${STAT_SCOPES.join(", ")}` }),
  id: z.uuid("must be the id of a replica, app or node"),
});

export const ZStatPoint = z.object({
  at: z.date(),
  /** CPU used, in percent of one core (200 = two cores busy). */
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  /** The limit the memory counts against: the container's, or the node's memory. */
  memoryLimitBytes: z.number(),
  memoryPercent: z.number(),
  netRxBps: z.number(),
  netTxBps: z.number(),
  blockReadBps: z.number(),
  blockWriteBps: z.number(),
});

/** A node's size and what its replicas reserve, to draw beside its use. */
export const ZStatCapacity = z.object({
  /** All the node's CPUs, in percent of one core (400 = four cores). */
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  reservedCpuPercent: z.number(),
  reservedMemoryBytes: z.number(),
});

export const ZStatHistory = z.object({
  range: z.enum(STAT_RANGES),
  /** Seconds one point covers: 10 or 60. */
  resolutionSec: z.number().int(),
  points: z.array(ZStatPoint),
  /** For a node only. */
  capacity: ZStatCapacity.optional(),
});

/** The newest point of each id asked for, for lists; ids without one are left out. */
export const ZCurrentStats = z.record(z.string(), ZStatPoint);

export type TStatPoint = z.infer<typeof ZStatPoint>;
export type TStatHistory = z.infer<typeof ZStatHistory>;
