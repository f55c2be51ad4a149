/**
 * The controller role: competes for the lease and, while it leads, runs the background loops.
 * Many controllers may run; one leads, and a standby takes over when the lease lapses.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";

import type { Logger } from "pino";

import type { PrismaClient } from "@/server/db/generated/client";

import { installationId } from "@/server/db/installation";

import { startHousekeeping } from "./housekeeping";
import { type TLeaderLoop, startLeaderLoops } from "./leader-loops";
import { CONTROLLER_LEASE, acquireLease, releaseLease } from "./lease";
import { NodeMonitor } from "./node-monitor";
import { Reconciler } from "./reconciler";

export const LEASE_TTL_MS = 5000;
const LEASE_RENEW_MS = 1000;

export type TControllerOptions = {
  db: PrismaClient;
  log: Logger;
  heartbeatIntervalMs: number;
  nodeTimeoutMs: number;
  canPullImages: boolean;
  /** How long a node may stay unreachable before its replicas are placed elsewhere. */
  failoverAfterMs?: number;
  /** How often every ready node's images and foreign host ports are read again. */
  inventoryIntervalMs?: number;
};

export type TController = { stop: () => Promise<void>; isLeader: () => boolean };

export function startController(options: TControllerOptions): TController {
  const holder = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = options.log.child({ role: "controller", holder });
  let monitor: NodeMonitor | undefined;
  let reconciler: Reconciler | undefined;
  let loops: TLeaderLoop[] = [];
  // A reconciler stopping finishes its pass in flight; stop() waits for it.
  let draining: Promise<void> = Promise.resolve();
  let stopHousekeeping: (() => void) | undefined;
  let epoch = 0;
  let isStopped = false;
  let renewedAt = 0;

  function stepDown(reason: string): void {
    log.warn({ epoch, reason }, "lost leadership");
    monitor?.stop();
    monitor = undefined;
    if (reconciler) {
      const stopping = [reconciler.stop(), ...loops.map((loop) => loop.stop())];
      draining = Promise.all([draining, ...stopping]).then(() => undefined);
      reconciler = undefined;
      loops = [];
    }
    stopHousekeeping?.();
    stopHousekeeping = undefined;
  }

  async function renew(): Promise<void> {
    try {
      const lease = await acquireLease(options.db, CONTROLLER_LEASE, holder, LEASE_TTL_MS);
      if (lease.isLeader) {
        renewedAt = Date.now();
      }
      if (lease.isLeader && !monitor) {
        epoch = lease.epoch;
        const installation = await installationId(options.db);
        log.info({ epoch, installation }, "became leader");
        monitor = new NodeMonitor({ ...options, log: log.child({ epoch }) });
        monitor.start();
        reconciler = new Reconciler({
          db: options.db,
          log,
          epoch,
          installationId: installation,
          canPullImages: options.canPullImages,
          failoverAfterMs: options.failoverAfterMs,
        });
        reconciler.start();
        loops = startLeaderLoops({
          db: options.db,
          log: log.child({ epoch }),
          epoch,
          installationId: installation,
          inventoryIntervalMs: options.inventoryIntervalMs,
        });
        stopHousekeeping = startHousekeeping(options.db, log.child({ loop: "housekeeping" }));
      } else if (!lease.isLeader && monitor) {
        stepDown("lease taken");
      }
    } catch (error) {
      log.warn({ err: error }, "lease renewal failed");
      // Another controller may take the lease once it lapses; never lead on a stale lease.
      if (monitor && Date.now() - renewedAt > LEASE_TTL_MS - LEASE_RENEW_MS) {
        stepDown("lease not renewed");
      }
    }
  }

  // One renewal at a time: a slow database must not let two of them both start the loops.
  let renewal: Promise<void> | undefined;
  const renewOnce = () => {
    renewal ??= renew().finally(() => {
      renewal = undefined;
    });
  };
  renewOnce();
  const timer = setInterval(() => {
    if (!isStopped) {
      renewOnce();
    }
  }, LEASE_RENEW_MS);

  return {
    isLeader: () => monitor !== undefined,
    stop: async () => {
      isStopped = true;
      clearInterval(timer);
      if (monitor) {
        stepDown("stopping");
      }
      await draining;
      await releaseLease(options.db, CONTROLLER_LEASE, holder).catch(() => undefined);
    },
  };
}
