import { z } from "zod";

import { ZGatewayView, gatewayView } from "@/server/gateway/service";

import { createTRPCRouter, viewerProcedure } from "../trpc";

export const gatewayRouter = createTRPCRouter({
  /** The app's service address and what the gateways measured per replica lately. */
  get: viewerProcedure
    .input(z.strictObject({ appId: z.uuid({ error: "appId must be an app id" }) }))
    .output(ZGatewayView)
    .query(({ ctx, input }) => gatewayView(ctx.db, input.appId, ctx.env.BERTH_GATEWAY_ADDRESS)),
});
