import { z } from "zod";

import { subscribeChanges } from "@/server/bus";
import type { TDb } from "@/server/db/types";
import { findEvents } from "@/server/events/service";

import { createTRPCRouter, viewerProcedure } from "../trpc";

const ZSeverity = z.enum(["info", "warning", "error"]);

export const ZEventView = z.object({
  id: z.string(),
  kind: z.string(),
  severity: ZSeverity,
  message: z.string(),
  actorType: z.string(),
  actorName: z.string().nullable(),
  nodeId: z.string().nullable(),
  appId: z.string().nullable(),
  createdAt: z.date(),
});

export type TEventView = z.infer<typeof ZEventView>;

type TEventRow = Awaited<ReturnType<typeof findEvents>>[number];

function toEventView(event: TEventRow): TEventView {
  return ZEventView.parse({ ...event, id: event.id.toString() });
}

export const ZEventIdText = z.string().regex(/^\d{1,19}$/, "must be an event id");

/**
 * New events in order, from after `afterId` (or from the newest one now): each call to next()
 * yields those written since the last.
 */
export async function eventFeed(db: TDb, afterIdText?: string) {
  let afterId = afterIdText ? BigInt(afterIdText) : undefined;
  if (afterId === undefined) {
    const latest = await db.event.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
    afterId = latest?.id ?? 0n;
  }

  return {
    async *next(): AsyncGenerator<TEventView> {
      const events = await findEvents(db, { afterId, limit: 100 });
      for (const event of events) {
        afterId = event.id;
        yield toEventView(event);
      }
    },
  };
}

export const eventRouter = createTRPCRouter({
  find: viewerProcedure
    .input(
      z.object({
        nodeId: z.uuid().optional(),
        appId: z.uuid().optional(),
        kindPrefix: z.string().max(64).optional(),
        severity: ZSeverity.optional(),
        beforeId: ZEventIdText.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .output(z.array(ZEventView))
    .query(async ({ ctx, input }) => {
      const events = await findEvents(ctx.db, {
        ...input,
        beforeId: input.beforeId ? BigInt(input.beforeId) : undefined,
      });

      return events.map(toEventView);
    }),

  /** Pushes events written after the latest one the client has. */
  watch: viewerProcedure
    .input(z.object({ afterId: ZEventIdText.optional() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const feed = await eventFeed(ctx.db, input.afterId);
      for await (const change of subscribeChanges(signal)) {
        if (change.topic === "event") {
          yield* feed.next();
        }
      }
    }),
});
