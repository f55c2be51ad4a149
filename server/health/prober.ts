/**
 * The health prober (controller role): runs each running replica's health check on its own
 * schedule and writes the replica's health when the verdict changes. The reconciler reads
 * that health: a rolling update waits for it, a failing replica is restarted, and a new
 * revision that fails it is rolled back.
 *
 * The replicas to check are read from the database every refresh; probes run on a short tick,
 * each replica at its check's interval, with a bound on probes in flight.
 */
import type Docker from "dockerode";
import type { Logger } from "pino";

import { maskedSpecOf } from "@/server/apps/service";
import type { THealthCheck } from "@/server/apps/spec";
import { SYSTEM_ACTOR } from "@/server/auth/principal";
import { publishChange } from "@/server/bus";
import type { Node, PrismaClient } from "@/server/db/generated/client";
import { type TEngineTarget, engineClient } from "@/server/docker/engine";
import { announceEvent, recordEvent } from "@/server/events/service";
import { engineTargetOf } from "@/server/nodes/service";

import { type TProbeTarget, runProbe } from "./probes";
import { type THealth, type TVerdict, nextVerdict } from "./verdict";

const TICK_MS = 200;
const REFRESH_MS = 1000;
const MAX_IN_FLIGHT = 64;
const EXEC_ENGINE_TIMEOUT_MS = 15_000;

export type THealthProberOptions = {
  db: PrismaClient;
  log: Logger;
  tickMs?: number;
  refreshMs?: number;
};

type TTarget = {
  /** Replica, container and start time: a restarted replica is a new target. */
  key: string;
  replicaId: string;
  appId: string;
  label: string;
  nodeId: string;
  check: THealthCheck;
  probe: TProbeTarget;
  startedAt: number;
  verdict: TVerdict;
  nextAt: number;
  isBusy: boolean;
};

type TPublishedPort = { containerPort: number; protocol: string; hostIp: string; hostPort: number };

const ANY_ADDRESS = new Set(["", "0.0.0.0", "::"]);

/** Where a check's port is published: on the node's own address, as the reconciler asks. */
export function addressOf(
  check: THealthCheck,
  hostPorts: unknown,
  node: Pick<Node, "advertiseAddress">,
): TProbeTarget["address"] {
  if (check.type === "command") {
    return undefined;
  }
  const ports = Array.isArray(hostPorts) ? (hostPorts as TPublishedPort[]) : [];
  const port = ports.find((p) => p.containerPort === check.port && p.protocol === "tcp");
  if (!port) {
    return undefined;
  }
  const host = ANY_ADDRESS.has(port.hostIp) ? node.advertiseAddress : port.hostIp;

  return { host, port: port.hostPort };
}

export class HealthProber {
  private readonly log: Logger;
  private readonly targets = new Map<string, TTarget>();
  private readonly engines = new Map<
    string,
    { endpoint: string; docker: Docker; target: TEngineTarget }
  >();
  private readonly inFlight = new Set<Promise<void>>();
  private tickTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private isStopped = false;

  constructor(private readonly options: THealthProberOptions) {
    this.log = options.log.child({ loop: "health" });
  }

  start(): void {
    this.refreshTimer = setInterval(() => this.refreshOnce(), this.options.refreshMs ?? REFRESH_MS);
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? TICK_MS);
    this.refreshOnce();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    clearInterval(this.refreshTimer);
    clearInterval(this.tickTimer);
    await this.refreshing;
    await Promise.allSettled(this.inFlight);
  }

  private refreshOnce(): void {
    if (this.isStopped || this.refreshing) {
      return;
    }
    this.refreshing = this.refresh()
      .catch((error: unknown) => this.log.warn({ err: error }, "health refresh failed"))
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  /** Reads the replicas that have a check and run; keeps the verdicts of those it knows. */
  private async refresh(): Promise<void> {
    const rows = await this.options.db.replica.findMany({
      where: { state: "running", health: { not: "none" }, containerId: { not: null } },
      include: { revision: true, node: true, app: true },
    });
    const now = Date.now();
    const keys = new Set<string>();
    for (const row of rows) {
      const check = maskedSpecOf(row.revision).healthCheck;
      if (!check || !row.node || !row.containerId || !row.startedAt) {
        continue;
      }
      const key = `${row.id}:${row.containerId}:${row.startedAt.getTime()}`;
      keys.add(key);
      if (this.targets.has(key)) {
        continue;
      }
      this.targets.set(key, {
        key,
        replicaId: row.id,
        appId: row.appId,
        label: `replica ${row.slot} of ${row.app.name}`,
        nodeId: row.node.id,
        check,
        probe: {
          address: addressOf(check, row.hostPorts, row.node),
          engine: this.engineOf(row.node),
          containerId: row.containerId,
        },
        startedAt: row.startedAt.getTime(),
        verdict: { health: row.health as THealth, failures: 0, message: row.healthMessage },
        nextAt: now,
        isBusy: false,
      });
    }
    for (const key of this.targets.keys()) {
      if (!keys.has(key)) {
        this.targets.delete(key);
      }
    }
  }

  private engineOf(node: Node) {
    const cached = this.engines.get(node.id);
    if (cached?.endpoint === node.endpoint) {
      return cached;
    }
    const target = engineTargetOf(node);
    const engine = {
      endpoint: node.endpoint,
      docker: engineClient(target, EXEC_ENGINE_TIMEOUT_MS),
      target,
    };
    this.engines.set(node.id, engine);

    return engine;
  }

  private tick(): void {
    const now = Date.now();
    for (const target of this.targets.values()) {
      if (this.isStopped || this.inFlight.size >= MAX_IN_FLIGHT) {
        return;
      }
      if (target.isBusy || now < target.nextAt) {
        continue;
      }
      target.isBusy = true;
      target.nextAt = now + target.check.intervalMs;
      const probe = this.probe(target).finally(() => {
        target.isBusy = false;
        this.inFlight.delete(probe);
      });
      this.inFlight.add(probe);
    }
  }

  private async probe(target: TTarget): Promise<void> {
    const result = await runProbe(target.check, target.probe);
    const before = target.verdict;
    target.verdict = nextVerdict(before, result, target.check, Date.now() - target.startedAt);
    if (target.verdict.health === before.health || this.isStopped) {
      return;
    }
    try {
      await this.write(target, before.health);
    } catch (error) {
      // Written again at the next change; the reconciler sees the old health until then.
      target.verdict = before;
      this.log.warn({ err: error, replicaId: target.replicaId }, "health write failed");
    }
  }

  /** Conditional on the same container run, so a late probe never marks its successor. */
  private async write(target: TTarget, was: THealth): Promise<void> {
    const { db } = this.options;
    const { health, message } = target.verdict;
    const { count } = await db.replica.updateMany({
      where: {
        id: target.replicaId,
        state: "running",
        startedAt: new Date(target.startedAt),
        containerId: target.probe.containerId,
      },
      data: { health, healthMessage: message },
    });
    if (count === 0) {
      return;
    }
    this.log.info({ replicaId: target.replicaId, was, health, message }, "replica health changed");
    await publishChange({ topic: "app", appId: target.appId });
    if (health === "healthy" && was === "starting") {
      return;
    }
    const eventId = await recordEvent(db, {
      kind: health === "unhealthy" ? "replica.healthFailed" : "replica.healthRecovered",
      severity: health === "unhealthy" ? "warning" : "info",
      message:
        health === "unhealthy"
          ? `${target.label} failed its health check: ${message ?? "no answer"}`
          : `${target.label} passes its health check again`,
      actor: SYSTEM_ACTOR,
      appId: target.appId,
      nodeId: target.nodeId,
      data: { replicaId: target.replicaId, health },
    });
    await announceEvent(eventId);
  }
}
