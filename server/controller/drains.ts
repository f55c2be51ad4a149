/**
 * Drains of replicas being removed, apart from the reconciler's passes (as image pulls are):
 * a replica marked stopping keeps its container until every live gateway reports that it has
 * seen it stopping and has nothing in flight to it, or until the app's drain timeout. One
 * poll of the gateways' heartbeat rows serves every drain; when one settles the reconciler is
 * woken, and its next pass removes the container.
 */
import type { Logger } from "pino";

import type { TDb } from "@/server/db/types";
import { drainVerdict, liveGateways } from "@/server/gateway/heartbeat";

/** How often the gateways' reports are read while a drain is open. */
export const DRAIN_POLL_MS = 50;

type TDrain = { appId: string; deadline: number; state: "draining" | "done" };

export type TDrainsOptions = {
  db: TDb;
  log: Logger;
  /** Called when a drain ends, so the removal can go on. */
  onSettled: () => void;
  pollMs?: number;
  now?: () => number;
};

export class Drains {
  private readonly drains = new Map<string, TDrain>();
  private timer: NodeJS.Timeout | undefined;
  private isPolling = false;
  private isStopped = false;

  constructor(private readonly options: TDrainsOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * "done" once the replica may stop; "draining" until then. The first call starts the drain,
   * with `timeoutMs` from now: after a controller restart a replica found stopping drains
   * again from scratch, which costs at most one more timeout.
   */
  ensure(replicaId: string, appId: string, timeoutMs: number): "draining" | "done" {
    const known = this.drains.get(replicaId);
    if (known) {
      return known.state;
    }
    if (timeoutMs <= 0) {
      return "done";
    }
    this.drains.set(replicaId, { appId, deadline: this.now + timeoutMs, state: "draining" });
    this.options.log.info({ appId, replicaId, timeoutMs }, "replica draining");
    this.schedule(0);

    return "draining";
  }

  /** Forgets a replica once it is removed. */
  forget(replicaId: string): void {
    this.drains.delete(replicaId);
  }

  stop(): void {
    this.isStopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.isStopped || this.timer || this.isPolling) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const open = [...this.drains.entries()].filter(([, drain]) => drain.state === "draining");
    if (open.length === 0 || this.isStopped) {
      return;
    }
    this.isPolling = true;
    let hasSettled = false;
    const gateways = await liveGateways(this.options.db).catch((error: unknown) => {
      this.options.log.warn({ err: error }, "drain check failed");

      return undefined;
    });
    this.isPolling = false;
    for (const [replicaId, drain] of open) {
      const verdict = gateways ? drainVerdict(gateways, replicaId) : undefined;
      if (verdict?.isDrained) {
        drain.state = "done";
        hasSettled = true;
        this.options.log.info({ appId: drain.appId, replicaId }, "replica drained");
      } else if (this.now >= drain.deadline) {
        drain.state = "done";
        hasSettled = true;
        const waitingOn = verdict?.waitingOn;
        this.options.log.warn({ appId: drain.appId, replicaId, waitingOn }, "drain timed out");
      }
    }
    if (hasSettled) {
      this.options.onSettled();
    }
    if ([...this.drains.values()].some((drain) => drain.state === "draining")) {
      this.schedule(this.options.pollMs ?? DRAIN_POLL_MS);
    }
  }
}
