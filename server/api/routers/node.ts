import { z } from "zod";

import { subscribeChanges } from "@/server/bus";
import type { TDb } from "@/server/db/types";
import { ZNodeCreate, ZNodeDetail, ZNodeId, ZNodeUpdate, ZNodeView } from "@/server/nodes/schema";
import * as nodes from "@/server/nodes/service";

import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

const ZNodeChange = z.discriminatedUnion("type", [
  z.object({ type: z.literal("upsert"), node: ZNodeView }),
  z.object({ type: z.literal("remove"), id: z.string() }),
]);

export type TNodeChange = z.infer<typeof ZNodeChange>;

/** A node's change as pushed to viewers: its new view, or its removal. */
export async function nodeChangeOf(db: TDb, nodeId: string): Promise<TNodeChange> {
  const node = await db.node.findUnique({ where: { id: nodeId } });

  return ZNodeChange.parse(
    node ? { type: "upsert", node: nodes.toNodeView(node) } : { type: "remove", id: nodeId },
  );
}

export const nodeRouter = createTRPCRouter({
  find: viewerProcedure.output(z.array(ZNodeView)).query(({ ctx }) => nodes.listNodes(ctx.db)),

  get: viewerProcedure
    .input(ZNodeId)
    .output(ZNodeDetail)
    .query(({ ctx, input }) => nodes.getNodeDetail(ctx.db, input.id)),

  create: operatorProcedure
    .input(ZNodeCreate)
    .output(ZNodeView)
    .mutation(({ ctx, input }) => nodes.addNode(ctx.db, input, ctx.actor)),

  update: operatorProcedure
    .input(ZNodeUpdate)
    .output(ZNodeView)
    .mutation(({ ctx, input }) => nodes.updateNode(ctx.db, input, ctx.actor)),

  cordon: operatorProcedure
    .input(ZNodeId)
    .output(ZNodeView)
    .mutation(({ ctx, input }) =>
      nodes.setNodeAvailability(ctx.db, input.id, "cordoned", ctx.actor),
    ),

  drain: operatorProcedure
    .input(ZNodeId)
    .output(ZNodeView)
    .mutation(({ ctx, input }) =>
      nodes.setNodeAvailability(ctx.db, input.id, "draining", ctx.actor),
    ),

  uncordon: operatorProcedure
    .input(ZNodeId)
    .output(ZNodeView)
    .mutation(({ ctx, input }) => nodes.setNodeAvailability(ctx.db, input.id, "active", ctx.actor)),

  delete: operatorProcedure
    .input(ZNodeId)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await nodes.removeNode(ctx.db, input.id, ctx.actor);

      return { ok: true as const };
    }),

  /** Pushes every node change; clients refetch the list when they (re)connect. */
  watch: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    for await (const change of subscribeChanges(signal)) {
      if (change.topic !== "node") {
        continue;
      }
      yield await nodeChangeOf(ctx.db, change.nodeId);
    }
  }),
});
