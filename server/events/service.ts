import { publishChange } from "@/server/bus";
import type { TActor } from "@/server/auth/principal";
import type { Prisma, Severity } from "@/server/db/generated/client";
import type { TDb } from "@/server/db/types";

export type TEventInput = {
  kind: string;
  message: string;
  actor: TActor;
  severity?: Severity;
  nodeId?: string;
  appId?: string;
  data?: Prisma.InputJsonValue;
};

/**
 * Writes one timeline and audit entry. Call it inside the transaction that makes the change,
 * then `announceEvent` after the commit.
 */
export async function recordEvent(db: TDb, input: TEventInput): Promise<bigint> {
  const event = await db.event.create({
    data: {
      kind: input.kind,
      message: input.message,
      severity: input.severity ?? "info",
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorName: input.actor.name,
      nodeId: input.nodeId,
      appId: input.appId,
      data: input.data ?? {},
    },
    select: { id: true },
  });

  return event.id;
}

/** Tells live views that an event was written. */
export async function announceEvent(eventId: bigint): Promise<void> {
  await publishChange({ topic: "event", eventId: eventId.toString() });
}

export type TEventFilter = {
  nodeId?: string;
  appId?: string;
  kindPrefix?: string;
  severity?: Severity;
  afterId?: bigint;
  beforeId?: bigint;
  limit: number;
};

/** Newest first, or oldest first when reading forward from `afterId`. */
export async function findEvents(db: TDb, filter: TEventFilter) {
  const idFilter =
    filter.afterId !== undefined || filter.beforeId !== undefined
      ? { gt: filter.afterId, lt: filter.beforeId }
      : undefined;

  return db.event.findMany({
    where: {
      id: idFilter,
      nodeId: filter.nodeId,
      appId: filter.appId,
      severity: filter.severity,
      kind: filter.kindPrefix ? { startsWith: filter.kindPrefix } : undefined,
    },
    orderBy: { id: filter.afterId !== undefined ? "asc" : "desc" },
    take: filter.limit,
  });
}
