import { z } from "zod";

import { subscribeChanges } from "@/server/bus";

import { createTRPCRouter, viewerProcedure } from "../trpc";
import { ZEventIdText, type TEventView, eventFeed } from "./event";
import { type TNodeChange, nodeChangeOf } from "./node";

export type TLiveMessage =
  | { kind: "node"; change: TNodeChange }
  | { kind: "event"; event: TEventView }
  | { kind: "app"; appId: string };

export const liveRouter = createTRPCRouter({
  /**
   * Everything live on one stream: node changes, new events, and the id of each app that
   * changed. Browsers allow six connections to a host; one stream per tab leaves the rest for
   * calls, however many tabs a wall or an operator keeps open.
   */
  watch: viewerProcedure
    .input(z.object({ afterEventId: ZEventIdText.optional() }))
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<TLiveMessage> {
      const feed = await eventFeed(ctx.db, input.afterEventId);
      for await (const change of subscribeChanges(signal)) {
        if (change.topic === "node") {
          yield { kind: "node", change: await nodeChangeOf(ctx.db, change.nodeId) };
        } else if (change.topic === "app") {
          yield { kind: "app", appId: change.appId };
        } else {
          for await (const event of feed.next()) {
            yield { kind: "event", event };
          }
        }
      }
    }),
});
