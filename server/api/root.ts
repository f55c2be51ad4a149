import { alertRouter } from "./routers/alert";
import { appRouter as appsRouter } from "./routers/app";
import { clusterRouter } from "./routers/cluster";
import { composeRouter } from "./routers/compose";
import { containerRouter } from "./routers/container";
import { eventRouter } from "./routers/event";
import { gatewayRouter } from "./routers/gateway";
import { liveRouter } from "./routers/live";
import { logRouter } from "./routers/log";
import { nodeRouter } from "./routers/node";
import { statsRouter } from "./routers/stats";
import { systemRouter } from "./routers/system";
import { tokenRouter } from "./routers/token";
import { userRouter } from "./routers/user";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  alert: alertRouter,
  app: appsRouter,
  cluster: clusterRouter,
  compose: composeRouter,
  container: containerRouter,
  event: eventRouter,
  gateway: gatewayRouter,
  live: liveRouter,
  log: logRouter,
  node: nodeRouter,
  stats: statsRouter,
  system: systemRouter,
  token: tokenRouter,
  user: userRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
