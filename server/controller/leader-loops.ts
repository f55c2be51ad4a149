/**
 * The loops a controller runs while it leads, besides the node monitor and the reconciler:
 * each is started when leadership is won and stopped (and awaited) when it is lost.
 */
import type { Logger } from "pino";

import type { PrismaClient } from "@/server/db/generated/client";
import { HealthProber } from "@/server/health/prober";

export type TLeaderContext = {
  db: PrismaClient;
  log: Logger;
  epoch: number;
  installationId: string;
};

export type TLeaderLoop = { stop: () => Promise<void> };

type TStartLoop = (context: TLeaderContext) => TLeaderLoop;

function startHealthProber({ db, log }: TLeaderContext): TLeaderLoop {
  const prober = new HealthProber({ db, log });
  prober.start();

  return prober;
}

/** Every leader loop, in start order. */
export const LEADER_LOOPS: readonly TStartLoop[] = [startHealthProber];

/** Starts every leader loop; a loop that fails to start is logged and the rest still run. */
export function startLeaderLoops(context: TLeaderContext): TLeaderLoop[] {
  return LEADER_LOOPS.flatMap((start) => {
    try {
      return [start(context)];
    } catch (error) {
      context.log.error({ err: error }, "a leader loop failed to start");

      return [];
    }
  });
}
