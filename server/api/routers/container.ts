import { ZContainerList, ZContainerListInput } from "@/server/containers/schema";
import * as containers from "@/server/containers/service";

import { createTRPCRouter, viewerProcedure } from "../trpc";

export const containerRouter = createTRPCRouter({
  /** Every container on every reachable node, searched on the server; node failures beside. */
  list: viewerProcedure
    .input(ZContainerListInput)
    .output(ZContainerList)
    .query(({ ctx, input }) => containers.listAllContainers(ctx.db, input, { log: ctx.log })),
});
