import { appRouter as appsRouter } from "./routers/app";
import { clusterRouter } from "./routers/cluster";
import { composeRouter } from "./routers/compose";
import { containerRouter } from "./routers/container";
import { eventRouter } from "./routers/event";
import { liveRouter } from "./routers/live";
import { nodeRouter } from "./routers/node";
import { systemRouter } from "./routers/system";
import { tokenRouter } from "./routers/token";
import { userRouter } from "./routers/user";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  app: appsRouter,
  cluster: clusterRouter,
  compose: composeRouter,
  container: containerRouter,
  event: eventRouter,
  live: liveRouter,
  node: nodeRouter,
  system: systemRouter,
  token: tokenRouter,
  user: userRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
