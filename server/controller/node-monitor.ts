/**
 * The node monitor: pings every node's engine each heartbeat interval and turns a node
 * unreachable when it has been silent for the node timeout, and ready again when it answers.
 * Each change is written with an event and pushed to live views.
 */
import type Docker from "dockerode";
import type { Logger } from "pino";

import { SYSTEM_ACTOR } from "@/server/auth/principal";
import { publishChange } from "@/server/bus";
import type { Node, PrismaClient } from "@/server/db/generated/client";
import { type TEngineTarget, engineClient, pingEngine, probeEngine } from "@/server/docker/engine";
import { announceEvent, recordEvent } from "@/server/events/service";
import { engineTargetOf } from "@/server/nodes/service";

import {
  type THeartbeatState,
  type TStep,
  onPingFailed,
  onPingOk,
  onTick,
  startWatching,
} from "./heartbeat";

/** How often deadlines are checked; finer than the heartbeat so detection is prompt. */
const TICK_INTERVAL_MS = 250;

export type TNodeMonitorOptions = {
  db: PrismaClient;
  log: Logger;
  heartbeatIntervalMs: number;
  nodeTimeoutMs: number;
};

type TWatched = {
  node: Node;
  target: TEngineTarget;
  docker: Docker;
  state: THeartbeatState;
  isPinging: boolean;
  pongAt: number | null;
};

function signature(node: Node): string {
  return [node.endpoint, node.transport, node.tlsCert ?? "", node.tlsKeySealed ?? ""].join("|");
}

export class NodeMonitor {
  private readonly watched = new Map<string, TWatched>();
  private timer: NodeJS.Timeout | undefined;
  private lastRefreshAt = 0;
  private isTicking = false;
  private readonly log: Logger;

  constructor(private readonly options: TNodeMonitorOptions) {
    this.log = options.log.child({ loop: "node-monitor" });
  }

  start(): void {
    this.log.info(
      { heartbeatMs: this.options.heartbeatIntervalMs, timeoutMs: this.options.nodeTimeoutMs },
      "node monitor started",
    );
    this.timer = setInterval(() => void this.tick(), TICK_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  private async tick(): Promise<void> {
    // A slow database must not pile up overlapping ticks.
    if (this.isTicking) {
      return;
    }
    this.isTicking = true;
    try {
      const now = Date.now();
      if (now - this.lastRefreshAt >= this.options.heartbeatIntervalMs) {
        this.lastRefreshAt = now;
        await this.refreshNodes(now);
        await this.flushHeartbeats();
        this.pingAll();
      }
      for (const watched of this.watched.values()) {
        await this.apply(watched, onTick(watched.state, Date.now(), this.options.nodeTimeoutMs));
      }
    } catch (error) {
      this.log.warn({ err: error }, "node monitor tick failed");
    } finally {
      this.isTicking = false;
    }
  }

  /** Follows nodes being added, removed or re-addressed. */
  private async refreshNodes(now: number): Promise<void> {
    const nodes = await this.options.db.node.findMany();
    const seen = new Set<string>();
    for (const node of nodes) {
      seen.add(node.id);
      const current = this.watched.get(node.id);
      if (current && signature(current.node) === signature(node)) {
        current.node = node;
        continue;
      }
      const target = engineTargetOf(node);
      this.watched.set(node.id, {
        node,
        target,
        docker: engineClient(target, this.options.nodeTimeoutMs),
        state: current?.state ?? startWatching(node.health, now),
        isPinging: false,
        pongAt: null,
      });
    }
    for (const id of this.watched.keys()) {
      if (!seen.has(id)) {
        this.watched.delete(id);
      }
    }
  }

  private pingAll(): void {
    for (const watched of this.watched.values()) {
      if (watched.isPinging) {
        continue;
      }
      watched.isPinging = true;
      // A ping may take up to its timeout; it must not delay other nodes or deadline checks.
      void this.ping(watched).finally(() => {
        watched.isPinging = false;
      });
    }
  }

  private async ping(watched: TWatched): Promise<void> {
    const timeoutMs = Math.min(this.options.nodeTimeoutMs, 2 * this.options.heartbeatIntervalMs);
    try {
      await pingEngine(watched.docker, watched.target, timeoutMs);
      const at = Date.now();
      watched.pongAt = at;
      await this.apply(watched, onPingOk(watched.state, at));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.apply(watched, onPingFailed(watched.state, message));
    }
  }

  /** One write for all heartbeats of the interval, not one per node. */
  private async flushHeartbeats(): Promise<void> {
    const groups = new Map<number, string[]>();
    for (const watched of this.watched.values()) {
      if (watched.pongAt !== null) {
        const ids = groups.get(watched.pongAt) ?? [];
        ids.push(watched.node.id);
        groups.set(watched.pongAt, ids);
        watched.pongAt = null;
      }
    }
    const latest = Math.max(0, ...groups.keys());
    const ids = [...groups.values()].flat();
    if (ids.length > 0) {
      await this.options.db.node.updateMany({
        where: { id: { in: ids } },
        data: { lastHeartbeatAt: new Date(latest) },
      });
    }
  }

  private async apply(watched: TWatched, step: TStep): Promise<void> {
    watched.state = step.state;
    if (step.transition === "down") {
      await this.markDown(watched);
    } else if (step.transition === "up") {
      await this.markUp(watched);
    }
  }

  private async markDown(watched: TWatched): Promise<void> {
    const { node, state } = watched;
    const silentMs = Date.now() - state.lastOkAt;
    this.log.warn({ nodeId: node.id, silentMs, error: state.lastError }, "node unreachable");
    const eventId = await this.options.db.$transaction(async (tx) => {
      await tx.node.update({
        where: { id: node.id },
        data: { health: "unreachable", lastError: state.lastError },
      });

      return recordEvent(tx, {
        kind: "node.unreachable",
        severity: "error",
        message: `node ${node.name} is unreachable: ${state.lastError ?? "no heartbeat"}`,
        actor: SYSTEM_ACTOR,
        nodeId: node.id,
        data: { silentMs },
      });
    });
    await publishChange({ topic: "node", nodeId: node.id });
    await announceEvent(eventId);
  }

  /** On recovery the engine's info is read again: it may have been upgraded or resized. */
  private async markUp(watched: TWatched): Promise<void> {
    const { node } = watched;
    this.log.info({ nodeId: node.id }, "node ready again");
    const info = await probeEngine(watched.target, this.options.nodeTimeoutMs).catch(() => null);
    const eventId = await this.options.db.$transaction(async (tx) => {
      await tx.node.update({
        where: { id: node.id },
        data: { health: "ready", lastError: null, lastHeartbeatAt: new Date(), ...(info ?? {}) },
      });

      return recordEvent(tx, {
        kind: "node.ready",
        message: `node ${node.name} is reachable again`,
        actor: SYSTEM_ACTOR,
        nodeId: node.id,
      });
    });
    await publishChange({ topic: "node", nodeId: node.id });
    await announceEvent(eventId);
  }
}
