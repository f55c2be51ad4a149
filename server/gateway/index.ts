/**
 * The gateway role: one listener per app with a TCP port, kept in step with the database.
 * An app's route reloads on its bus "app" change (NOTIFY/LISTEN between processes), all of
 * them on a "node" change and on a periodic full refresh; per-backend metrics are written to
 * GatewayStat every few seconds for the app page.
 */
import { hostname } from "node:os";

import type { Logger } from "pino";

import { subscribeChanges } from "@/server/bus";
import type { PrismaClient } from "@/server/db/generated/client";

import type { TEjectionOptions } from "./ejection";
import type { TRandom } from "./policies";
import { AppProxy, type TBackendStats } from "./proxy";
import { type TPortRange, type TRoute, listAppIds, loadRoute } from "./routes";

export const GATEWAY_REFRESH_INTERVAL_MS = 10_000;
export const GATEWAY_STATS_INTERVAL_MS = 5000;
/** GatewayStat rows older than this are deleted. */
export const GATEWAY_STATS_RETENTION_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_WRITES = 12;

export type TGatewayOptions = {
  db: PrismaClient;
  log: Logger;
  /** BERTH_GATEWAY_ADDRESS: where every listener binds. */
  address: string;
  /** BERTH_GATEWAY_PORTS: where service ports are allocated from. */
  portRange: TPortRange;
  refreshIntervalMs?: number;
  statsIntervalMs?: number;
  random?: TRandom;
  ejection?: TEjectionOptions;
};

export type TRouteState = {
  servicePort: number;
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
  stop: () => Promise<void>;
};

/** Starts the gateway; resolves once every app's listener is up. */
export async function startGateway(options: TGatewayOptions): Promise<TGateway> {
  const gateway = new Gateway(options);
  await gateway.start();

  return gateway.handle();
}

class Gateway {
  private readonly proxies = new Map<string, AppProxy>();
  /** One reload at a time per app; a change during one asks for another after it. */
  private readonly reloads = new Map<string, Promise<void>>();
  private readonly pending = new Set<string>();
  private readonly abort = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly log: Logger;
  private readonly id = `${hostname()}:${process.pid}`;
  private writes = 0;
  private isStopped = false;

  constructor(private readonly options: TGatewayOptions) {
    this.log = options.log.child({ loop: "gateway" });
  }

  async start(): Promise<void> {
    void this.followChanges();
    await this.refresh();
    const refreshMs = this.options.refreshIntervalMs ?? GATEWAY_REFRESH_INTERVAL_MS;
    const statsMs = this.options.statsIntervalMs ?? GATEWAY_STATS_INTERVAL_MS;
    this.timers.push(setInterval(() => void this.refresh(), refreshMs));
    this.timers.push(setInterval(() => void this.writeStats(), statsMs));
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
            backends: proxy.activeBackends,
            ejectedIds: proxy.ejectedIds,
          }
        );
      },
      refresh: () => this.refresh(),
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
      const gone = [...this.proxies.keys()].filter((id) => !known.has(id));
      await Promise.all(gone.map((id) => this.reload(id)));
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
    let route: TRoute | undefined;
    try {
      route = await loadRoute(this.options.db, appId, this.options.portRange);
    } catch (error) {
      // A port the spec cannot have leaves the listener as it was; the log says why.
      this.log.warn({ appId, err: error }, "route not loaded");

      return;
    }
    const proxy = this.proxies.get(appId);
    if (proxy && route && proxy.servicePort === route.servicePort && proxy.mode === route.mode) {
      proxy.update(route);

      return;
    }
    if (proxy) {
      this.proxies.delete(appId);
      await proxy.close();
      this.log.info({ appId, port: proxy.servicePort }, "gateway listener closed");
    }
    if (route && !this.isStopped) {
      await this.open(route);
    }
  }

  private async open(route: TRoute): Promise<void> {
    const { address, log, random, ejection } = this.options;
    const proxy = new AppProxy(route, { address, log, random, ejection });
    try {
      await proxy.listen();
      this.proxies.set(route.appId, proxy);
    } catch (error) {
      this.log.warn({ appId: route.appId, port: route.servicePort, err: error }, "cannot listen");
      await proxy.close(0);
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
    await Promise.allSettled(this.reloads.values());
    await this.writeStats();
    const proxies = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(proxies.map((proxy) => proxy.close()));
    this.log.info("gateway stopped");
  }
}
