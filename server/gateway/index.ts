/**
 * The gateway role: one listener per app with a TCP port, kept in step with the database.
 * An app's route reloads on its bus "app" change (NOTIFY/LISTEN between processes), all of
 * them on a "node" change, a bus resync and a periodic full refresh; per-backend metrics are
 * written to GatewayStat every few seconds for the app page. A heartbeat row (GatewayProcess)
 * says this gateway is alive, which listeners it could not open, and what it still has in
 * flight to each replica it has seen stopping, so the controller's drain can wait for it.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

import type { Logger } from "pino";

import { SYSTEM_ACTOR } from "@/server/auth/principal";
import { subscribeChanges } from "@/server/bus";
import type { PrismaClient } from "@/server/db/generated/client";
import { announceEvent, recordEvent } from "@/server/events/service";

import type { TEjectionOptions } from "./ejection";
import {
  GATEWAY_HEARTBEAT_INTERVAL_MS,
  type TListenError,
  pruneHeartbeats,
  removeHeartbeat,
  writeHeartbeat,
} from "./heartbeat";
import type { TRandom } from "./policies";
import { AppProxy, type TBackendStats } from "./proxy";
import { type TPortRange, type TRoute, listAppIds, loadRoute, stoppingReplicaIds } from "./routes";

export const GATEWAY_REFRESH_INTERVAL_MS = 10_000;
export const GATEWAY_STATS_INTERVAL_MS = 5000;
/** GatewayStat rows older than this are deleted. */
export const GATEWAY_STATS_RETENTION_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_WRITES = 12;
/** Changes that a drain waits on are reported this soon, gathered into one write. */
const REPORT_DELAY_MS = 5;
const PRUNE_ROWS_EVERY_HEARTBEATS = 60;

export type TGatewayOptions = {
  db: PrismaClient;
  log: Logger;
  /** BERTH_GATEWAY_ADDRESS: where every listener binds. */
  address: string;
  /** BERTH_GATEWAY_PORTS: where service ports are allocated from. */
  portRange: TPortRange;
  refreshIntervalMs?: number;
  statsIntervalMs?: number;
  heartbeatIntervalMs?: number;
  random?: TRandom;
  ejection?: TEjectionOptions;
};

export type TRouteState = {
  servicePort: number;
  mode: TRoute["mode"];
  /** Backends that get new requests (ejected ones included: see `ejectedIds`). */
  backends: TRoute["backends"];
  ejectedIds: string[];
};

export type TGateway = {
  /** This process's name in GatewayStat rows. */
  id: string;
  /** The route an app's listener serves now, or undefined when it has none. */
  routeOf: (appId: string) => TRouteState | undefined;
  /** Reloads every app now (tests, and the periodic refresh). */
  refresh: () => Promise<void>;
  /** Listeners this gateway could not open, by app. */
  listenErrors: () => TListenError[];
  stop: () => Promise<void>;
};

/** Starts the gateway; resolves once every app's listener is up. */
export async function startGateway(options: TGatewayOptions): Promise<TGateway> {
  const gateway = new Gateway(options);
  await gateway.start();

  return gateway.handle();
}

function reasonOf(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case "EADDRINUSE":
      return "the port is in use by another process";
    case "EACCES":
      return "this process may not bind it";
    case "EADDRNOTAVAIL":
      return "the address is not one of this host's";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

class Gateway {
  private readonly proxies = new Map<string, AppProxy>();
  /** Listeners closing after a port change or a delete, by app, until their requests end. */
  private readonly closing = new Map<AppProxy, string>();
  /** One reload at a time per app; a change during one asks for another after it. */
  private readonly reloads = new Map<string, Promise<void>>();
  private readonly pending = new Set<string>();
  /** Per app, the replicas being removed as of its last reload. */
  private readonly stopping = new Map<string, string[]>();
  private readonly listenFailures = new Map<string, TListenError>();
  private readonly abort = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly log: Logger;
  private readonly id = `${hostname()}:${process.pid}:${randomBytes(2).toString("hex")}`;
  private writes = 0;
  private heartbeats = 0;
  private reportTimer: NodeJS.Timeout | undefined;
  private reporting: Promise<void> | undefined;
  private isReportAgain = false;
  private isStopped = false;

  constructor(private readonly options: TGatewayOptions) {
    this.log = options.log.child({ loop: "gateway", gateway: this.id });
  }

  async start(): Promise<void> {
    void this.followChanges();
    await this.refresh();
    await this.report();
    const refreshMs = this.options.refreshIntervalMs ?? GATEWAY_REFRESH_INTERVAL_MS;
    const statsMs = this.options.statsIntervalMs ?? GATEWAY_STATS_INTERVAL_MS;
    const heartbeatMs = this.options.heartbeatIntervalMs ?? GATEWAY_HEARTBEAT_INTERVAL_MS;
    this.timers.push(setInterval(() => void this.refresh(), refreshMs));
    this.timers.push(setInterval(() => void this.writeStats(), statsMs));
    this.timers.push(setInterval(() => void this.report(), heartbeatMs));
    this.log.info({ address: this.options.address, ...this.options.portRange }, "gateway started");
  }

  handle(): TGateway {
    return {
      id: this.id,
      routeOf: (appId) => {
        const proxy = this.proxies.get(appId);

        return (
          proxy && {
            servicePort: proxy.servicePort,
            mode: proxy.mode,
            backends: proxy.activeBackends,
            ejectedIds: proxy.ejectedIds,
          }
        );
      },
      refresh: () => this.refresh(),
      listenErrors: () => [...this.listenFailures.values()],
      stop: () => this.stop(),
    };
  }

  private async followChanges(): Promise<void> {
    for await (const change of subscribeChanges(this.abort.signal)) {
      if (change.topic === "app") {
        void this.reload(change.appId);
      } else if (change.topic === "node" || change.topic === "resync") {
        void this.refresh();
      }
    }
  }

  async refresh(): Promise<void> {
    try {
      const ids = await listAppIds(this.options.db);
      const known = new Set(ids);
      await Promise.all(ids.map((id) => this.reload(id)));
      const gone = [...this.proxies.keys(), ...this.stopping.keys()].filter((id) => !known.has(id));
      await Promise.all([...new Set(gone)].map((id) => this.reload(id)));
    } catch (error) {
      this.log.warn({ err: error }, "gateway refresh failed");
    }
  }

  /** Reloads one app's route; calls during a reload coalesce into one more after it. */
  private reload(appId: string): Promise<void> {
    const running = this.reloads.get(appId);
    if (running) {
      this.pending.add(appId);

      return running;
    }
    const next = this.apply(appId).finally(() => {
      this.reloads.delete(appId);
      if (this.pending.delete(appId) && !this.isStopped) {
        void this.reload(appId);
      }
    });
    this.reloads.set(appId, next);

    return next;
  }

  private async apply(appId: string): Promise<void> {
    if (this.isStopped) {
      return;
    }
    // Read first and apart from the route: a drain waits on this even when the route cannot
    // load (a port it cannot have) or is gone (a deleted app).
    const stopping = await stoppingReplicaIds(this.options.db, appId).catch(() => undefined);
    let route: TRoute | undefined;
    try {
      route = await loadRoute(this.options.db, appId, this.options.portRange);
    } catch (error) {
      // A port the spec cannot have leaves the listener as it was; the log says why.
      this.log.warn({ appId, err: error }, "route not loaded");
      this.noteStopping(appId, stopping);

      return;
    }
    const proxy = this.proxies.get(appId);
    if (proxy && route && proxy.servicePort === route.servicePort && proxy.mode === route.mode) {
      proxy.update(route);
    } else {
      if (proxy) {
        this.proxies.delete(appId);
        this.retire(appId, proxy);
      }
      if (route && !this.isStopped) {
        await this.open(route);
      } else {
        this.clearListenFailure(appId);
      }
    }
    // Noted once the route is in force: from then on nothing new goes to those replicas.
    this.noteStopping(appId, stopping);
  }

  /**
   * The old listener stops accepting at once and frees its port; its requests in flight
   * finish in the background, so a port change takes effect without waiting for them.
   */
  private retire(appId: string, proxy: AppProxy): void {
    this.closing.set(proxy, appId);
    void proxy.close().finally(() => {
      this.closing.delete(proxy);
      this.log.info({ appId, port: proxy.servicePort }, "gateway listener closed");
      this.requestReport();
    });
  }

  private async open(route: TRoute): Promise<void> {
    const { address, log, random, ejection } = this.options;
    const onDrained = () => this.requestReport();
    const proxy = new AppProxy(route, { address, log, random, ejection, onDrained });
    try {
      await proxy.listen();
      this.proxies.set(route.appId, proxy);
      this.clearListenFailure(route.appId);
    } catch (error) {
      await proxy.close(0);
      await this.noteListenFailure(route, error);
    }
  }

  private noteStopping(appId: string, ids: string[] | undefined): void {
    if (ids === undefined) {
      return;
    }
    const before = this.stopping.get(appId) ?? [];
    if (ids.length === 0) {
      this.stopping.delete(appId);
    } else {
      this.stopping.set(appId, ids);
    }
    if (before.join(",") !== ids.join(",")) {
      this.requestReport();
    }
  }

  /** Kept, reported in the heartbeat and written as an event once per port and reason. */
  private async noteListenFailure(route: TRoute, error: unknown): Promise<void> {
    const { appId, servicePort: port } = route;
    const where = `${this.options.address}:${port}`;
    const message =
      `The gateway cannot listen on ${where} for ${route.appName}: ${reasonOf(error)}. ` +
      "Free the port, or give the app another lb.servicePort.";
    const previous = this.listenFailures.get(appId);
    if (previous?.port === port && previous.message === message) {
      return;
    }
    this.listenFailures.set(appId, { appId, port, message, since: new Date() });
    this.log.warn({ appId, port, err: error }, "cannot listen");
    this.requestReport();
    try {
      const eventId = await recordEvent(this.options.db, {
        kind: "gateway.listenFailed",
        severity: "error",
        message: `${message} (gateway ${this.id})`,
        actor: SYSTEM_ACTOR,
        appId,
        data: { gateway: this.id, address: this.options.address, port },
      });
      await announceEvent(eventId);
    } catch (writeError) {
      this.log.warn({ appId, err: writeError }, "listen failure event not written");
    }
  }

  private clearListenFailure(appId: string): void {
    if (this.listenFailures.delete(appId)) {
      this.requestReport();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Heartbeat
  // -------------------------------------------------------------------------------------------

  /** Per stopping replica seen, what every listener of its app still has in flight to it. */
  private draining(): Record<string, number> {
    const draining: Record<string, number> = {};
    for (const [appId, ids] of this.stopping) {
      const proxies = [this.proxies.get(appId)];
      for (const [proxy, owner] of this.closing) {
        proxies.push(owner === appId ? proxy : undefined);
      }
      for (const id of ids) {
        draining[id] = proxies.reduce((sum, proxy) => sum + (proxy?.inFlightTo(id) ?? 0), 0);
      }
    }

    return draining;
  }

  private requestReport(): void {
    if (this.reportTimer || this.isStopped) {
      return;
    }
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      void this.report();
    }, REPORT_DELAY_MS);
  }

  /** Writes the heartbeat; a call during a write asks for one more after it. */
  private async report(): Promise<void> {
    if (this.reporting) {
      this.isReportAgain = true;

      return this.reporting;
    }
    this.reporting = (async () => {
      do {
        this.isReportAgain = false;
        await this.writeReport();
      } while (this.isReportAgain && !this.isStopped);
    })().finally(() => {
      this.reporting = undefined;
    });

    return this.reporting;
  }

  private async writeReport(): Promise<void> {
    const { db, address } = this.options;
    try {
      await writeHeartbeat(db, {
        id: this.id,
        hostname: hostname(),
        address,
        draining: this.draining(),
        listenErrors: [...this.listenFailures.values()],
      });
      this.heartbeats += 1;
      if (this.heartbeats % PRUNE_ROWS_EVERY_HEARTBEATS === 0) {
        await pruneHeartbeats(db);
      }
    } catch (error) {
      this.log.warn({ err: error }, "gateway heartbeat not written");
    }
  }

  private async writeStats(): Promise<void> {
    const at = new Date();
    const rows = [...this.proxies.entries()].flatMap(([appId, proxy]) =>
      proxy.sample().map((stats: TBackendStats) => ({ at, appId, gateway: this.id, ...stats })),
    );
    try {
      if (rows.length > 0) {
        await this.options.db.gatewayStat.createMany({ data: rows });
      }
      this.writes += 1;
      if (this.writes % PRUNE_EVERY_WRITES === 0) {
        const before = new Date(at.getTime() - GATEWAY_STATS_RETENTION_MS);
        await this.options.db.gatewayStat.deleteMany({ where: { at: { lt: before } } });
      }
    } catch (error) {
      this.log.warn({ err: error }, "gateway stats not written");
    }
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.abort.abort();
    this.timers.forEach((timer) => clearInterval(timer));
    clearTimeout(this.reportTimer);
    await Promise.allSettled(this.reloads.values());
    await this.writeStats();
    const proxies = [...this.proxies.values(), ...this.closing.keys()];
    this.proxies.clear();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await this.reporting;
    await removeHeartbeat(this.options.db, this.id).catch((error: unknown) => {
      this.log.warn({ err: error }, "gateway heartbeat not removed");
    });
    this.log.info("gateway stopped");
  }
}
