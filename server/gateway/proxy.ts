/**
 * One app's listener: forwards HTTP/1.1 (keep-alive upstream, WebSocket upgrades passed
 * through) or raw TCP to the app's backends, picked by its policy among those not ejected.
 *
 * Draining: a backend that leaves the route gets no new requests at once, while requests in
 * flight on it finish; its connection pool closes when the last one does.
 *
 * Sections: 1 backends and picking, 2 http, 3 upgrades, 4 tcp, 5 life cycle.
 */
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";

import type { Logger } from "pino";

import { Ejector, type TEjectionOptions } from "./ejection";
import { clientAddressOf, cookieValue, forwardHeaders, responseHeaders } from "./headers";
import { BackendMetrics, type TBackendSample } from "./metrics";
import { type TCandidate, type TPolicy, type TRandom, createPolicy } from "./policies";
import type { TBackend, TRoute } from "./routes";

/** How long a closing listener lets requests in flight finish before it cuts them. */
export const CLOSE_GRACE_MS = 10_000;
/** Idle pooled connections to one backend kept for reuse. */
const MAX_FREE_SOCKETS = 64;
/** A backend that has not accepted the connection by then counts as failed. */
const CONNECT_TIMEOUT_MS = 3000;

export type TBackendState = {
  backend: TBackend;
  agent: http.Agent;
  /** Requests (http) or connections (tcp, upgrades) in flight. */
  outstanding: number;
  metrics: BackendMetrics;
  isRetiring: boolean;
};

export type TBackendStats = TBackendSample & {
  replicaId: string;
  activeConnections: number;
  isEjected: boolean;
};

export type TProxyOptions = {
  address: string;
  log: Logger;
  random?: TRandom;
  ejection?: TEjectionOptions;
  /** Called when a backend that left the route has nothing in flight any more. */
  onDrained?: (replicaId: string) => void;
};

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD"]);

function textResponse(res: http.ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();

    return;
  }
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers["content-length"];

  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

export class AppProxy {
  private route: TRoute;
  private policy: TPolicy;
  private readonly backends = new Map<string, TBackendState>();
  private readonly ejector: Ejector;
  private readonly log: Logger;
  private readonly server: http.Server | net.Server;
  /** Client sockets of WebSockets and tcp connections: they never end by themselves. */
  private readonly tunnels = new Set<net.Socket>();
  /** Backends that left the route and still have requests or connections in flight. */
  private readonly retired = new Set<TBackendState>();
  private lastSampleAt = performance.now();

  constructor(
    route: TRoute,
    private readonly options: TProxyOptions,
  ) {
    this.route = route;
    this.log = options.log.child({ appId: route.appId, port: route.servicePort });
    this.policy = createPolicy(route.policy, options.random);
    this.ejector = new Ejector(options.ejection);
    this.server = route.mode === "tcp" ? this.tcpServer() : this.httpServer();
    this.setBackends(route.backends);
  }

  get servicePort(): number {
    return this.route.servicePort;
  }

  /** The port actually bound (differs from servicePort only when that is 0, in tests). */
  get boundPort(): number {
    const address = this.server.address();

    return typeof address === "object" && address ? address.port : this.route.servicePort;
  }

  /** Ids of the backends passive ejection holds out now. */
  get ejectedIds(): string[] {
    return [...this.backends.keys()].filter((id) => this.ejector.isEjected(id));
  }

  get mode(): TRoute["mode"] {
    return this.route.mode;
  }

  /** Requests and connections in flight to one replica, whether in the route or leaving it. */
  inFlightTo(replicaId: string): number {
    let count = 0;
    for (const state of new Set([...this.backends.values(), ...this.retired])) {
      count += state.backend.replicaId === replicaId ? state.outstanding : 0;
    }

    return count;
  }

  /** The backends that may get new requests now, in slot order. */
  get activeBackends(): TBackend[] {
    return [...this.backends.values()].filter((s) => !s.isRetiring).map((s) => s.backend);
  }

  // -------------------------------------------------------------------------------------------
  // 1. Backends and picking
  // -------------------------------------------------------------------------------------------

  /**
   * Takes a new route for the same port and mode: new backends join, those gone stop getting
   * requests and drain; a changed policy takes over from the next request, with no
   * connection dropped.
   */
  update(route: TRoute): void {
    if (route.policy !== this.route.policy) {
      this.policy = createPolicy(route.policy, this.options.random);
      this.log.info({ policy: route.policy }, "policy changed");
    }
    this.route = route;
    this.setBackends(route.backends);
  }

  private setBackends(backends: readonly TBackend[]): void {
    const next = new Map(backends.map((backend) => [backend.replicaId, backend]));
    for (const [id, state] of this.backends) {
      const fresh = next.get(id);
      const isSameAddress =
        fresh && fresh.host === state.backend.host && fresh.port === state.backend.port;
      if (fresh && isSameAddress && !state.isRetiring) {
        state.backend = fresh;
      } else if (!state.isRetiring) {
        this.retire(state);
      }
    }
    for (const backend of backends) {
      const state = this.backends.get(backend.replicaId);
      if (!state || state.isRetiring) {
        this.backends.set(backend.replicaId, this.newState(backend));
      }
    }
    this.ejector.retain(new Set(next.keys()));
  }

  private newState(backend: TBackend): TBackendState {
    const agent = new http.Agent({
      keepAlive: true,
      maxFreeSockets: MAX_FREE_SOCKETS,
      scheduling: "lifo",
    });

    return { backend, agent, outstanding: 0, metrics: new BackendMetrics(), isRetiring: false };
  }

  private retire(state: TBackendState): void {
    state.isRetiring = true;
    this.retired.add(state);
    this.log.info({ replicaId: state.backend.replicaId }, "backend draining");
    this.finishIfDrained(state);
  }

  private finishIfDrained(state: TBackendState): void {
    if (!state.isRetiring || state.outstanding > 0) {
      return;
    }
    state.agent.destroy();
    const id = state.backend.replicaId;
    if (this.backends.get(id) === state) {
      this.backends.delete(id);
    }
    this.retired.delete(state);
    this.options.onDrained?.(id);
  }

  private release(state: TBackendState): void {
    state.outstanding -= 1;
    this.finishIfDrained(state);
  }

  private keyOf(clientAddress: string, req?: http.IncomingMessage): string | undefined {
    const hashKey = this.route.hashKey;
    if (hashKey.source === "client-address" || !req) {
      return clientAddress;
    }
    if (hashKey.source === "cookie") {
      return cookieValue(req.headers.cookie, hashKey.name);
    }
    const value = req.headers[hashKey.name.toLowerCase()];

    return Array.isArray(value) ? value.join(",") : value;
  }

  /**
   * A backend for one request: among those not retiring, not ejected and not yet tried for
   * it. When ejection has left none, all non-retiring ones are eligible again (as Envoy's
   * panic threshold): a guess beats a certain 503.
   */
  private choose(tried: ReadonlySet<string>, key: string | undefined): TBackendState | undefined {
    const live = [...this.backends.values()].filter(
      (state) => !state.isRetiring && !tried.has(state.backend.replicaId),
    );
    const healthy = live.filter((state) => !this.ejector.isEjected(state.backend.replicaId));
    const pool = healthy.length > 0 || tried.size > 0 ? healthy : live;
    const now = performance.now();
    const candidates: TCandidate[] = pool.map((state) => ({
      id: state.backend.replicaId,
      weight: state.backend.weight,
      outstanding: state.outstanding,
      latencyMs: state.metrics.ewma.read(now),
    }));
    const chosen = this.policy.pick(candidates, { key });

    return chosen ? this.backends.get(chosen.id) : undefined;
  }

  private noBackendText(hasTried: boolean): string {
    const app = this.route.appName;

    return hasTried
      ? `502 Bad Gateway: no replica of ${app} could be reached. Check its replicas in Berth.\n`
      : `503 Service Unavailable: ${app} has no ready replica. Check its replicas in Berth.\n`;
  }

  // -------------------------------------------------------------------------------------------
  // 2. HTTP
  // -------------------------------------------------------------------------------------------

  private httpServer(): http.Server {
    const server = http.createServer((req, res) => this.forward(req, res, new Set()));
    server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      this.track(socket);
      this.upgrade(req, socket, head);
    });
    server.on("clientError", (_error, socket: net.Socket) => {
      socket.destroy();
    });

    return server;
  }

  /**
   * Forwards one request. A GET or HEAD without a body that fails before any response (a
   * refused or reset connection) is tried once more on another backend; the first failure
   * still counts towards ejecting the backend that failed. A client that goes away is no
   * backend's failure: its request upstream is cut, and nothing is counted or retried.
   */
  private forward(req: http.IncomingMessage, res: http.ServerResponse, tried: Set<string>): void {
    const clientAddress = clientAddressOf(req.socket.remoteAddress);
    const state = this.choose(tried, this.keyOf(clientAddress, req));
    if (!state) {
      textResponse(res, tried.size > 0 ? 502 : 503, this.noBackendText(tried.size > 0));

      return;
    }
    const { backend, metrics } = state;
    const id = backend.replicaId;
    state.outstanding += 1;
    const startedAt = performance.now();
    let isReleased = false;
    let isClientGone = false;
    let status: number | undefined;
    const done = () => {
      if (!isReleased) {
        isReleased = true;
        this.release(state);
      }
    };
    const upstream = http.request({
      host: backend.host,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: forwardHeaders(req.headers, clientAddress),
      agent: state.agent,
      setHost: false,
      timeout: CONNECT_TIMEOUT_MS,
    });
    upstream.once("socket", (socket) => {
      // The timeout guards the connect only; an established request may take its time. A
      // reused keep-alive socket is connected already: no listener, or they would pile up.
      if (socket.connecting) {
        socket.once("connect", () => upstream.setTimeout(0));
      } else {
        upstream.setTimeout(0);
      }
    });
    upstream.on("timeout", () => upstream.destroy(new Error("connect timed out")));
    upstream.on("response", (incoming) => {
      status = incoming.statusCode ?? 502;
      const isError = status >= 500;
      // Time to the response headers: a long body (a download, server-sent events) is not
      // the backend being slow.
      metrics.recordLatency(performance.now() - startedAt);
      if (isError) {
        this.ejector.recordFailure(id);
      } else {
        this.ejector.recordSuccess(id);
      }
      res.writeHead(status, incoming.statusMessage, responseHeaders(incoming.rawHeaders));
      incoming.pipe(res);
      incoming.on("end", () => {
        metrics.recordOutcome(isError);
        done();
      });
      incoming.on("error", () => {
        if (!isClientGone) {
          metrics.recordOutcome(true);
        }
        res.destroy();
        done();
      });
    });
    upstream.on("error", (error) => {
      if (isClientGone) {
        done();

        return;
      }
      if (res.headersSent) {
        res.destroy();
        done();

        return;
      }
      metrics.recordFailure();
      this.ejector.recordFailure(id);
      done();
      const canRetry =
        tried.size === 0 && IDEMPOTENT_METHODS.has(req.method ?? "") && !hasBody(req);
      this.log.debug({ replicaId: id, err: error, canRetry }, "upstream request failed");
      tried.add(id);
      if (canRetry) {
        this.forward(req, res, tried);
      } else {
        textResponse(res, 502, this.noBackendText(true));
      }
    });
    res.on("close", () => {
      if (res.writableFinished || isReleased) {
        return;
      }
      // The client left first (or a retry took over this response): cut the upstream
      // request, which reports an error that must not count against the backend.
      isClientGone = true;
      if (status !== undefined) {
        metrics.recordOutcome(status >= 500);
      }
      upstream.destroy();
      done();
    });
    if (hasBody(req)) {
      req.pipe(upstream);
    } else {
      upstream.end();
    }
  }

  // -------------------------------------------------------------------------------------------
  // 3. Upgrades (WebSocket)
  // -------------------------------------------------------------------------------------------

  /**
   * Passes an upgrade through as bytes: the request head is rewritten with X-Forwarded-*,
   * then both directions are piped until either side closes.
   */
  private upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const clientAddress = clientAddressOf(req.socket.remoteAddress);
    const state = this.choose(new Set(), this.keyOf(clientAddress, req));
    if (!state) {
      const body = this.noBackendText(false);
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );

      return;
    }
    const lines = [`${req.method ?? "GET"} ${req.url ?? "/"} HTTP/1.1`];
    const headers = forwardHeaders(req.headers, clientAddress);
    // Upgrade and Connection are hop-by-hop, but an upgrade must carry them to the backend.
    headers.connection = "Upgrade";
    headers.upgrade = req.headers.upgrade;
    for (const [name, value] of Object.entries(headers)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined) {
          lines.push(`${name}: ${String(item)}`);
        }
      }
    }
    this.pipeTo(state, socket, Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), head]));
  }

  /**
   * Connects to the backend, sends `first`, then pipes both ways; counts it as one. Its
   * latency is the time to connect: a tunnel's life says nothing of the backend's speed.
   */
  private pipeTo(
    state: TBackendState,
    client: net.Socket,
    first: Buffer | undefined,
    onRefused?: () => void,
  ): void {
    const id = state.backend.replicaId;
    const startedAt = performance.now();
    state.outstanding += 1;
    const upstream = net.connect({ host: state.backend.host, port: state.backend.port });
    upstream.setTimeout(CONNECT_TIMEOUT_MS, () => upstream.destroy(new Error("connect timed out")));
    let isConnected = false;
    let isClosed = false;
    let isHandedOver = false;
    let isClientGone = false;
    const close = () => {
      if (isClosed) {
        return;
      }
      isClosed = true;
      if (isConnected) {
        state.metrics.recordOutcome(false);
      } else if (!isClientGone) {
        state.metrics.recordFailure();
      }
      this.release(state);
    };
    upstream.once("connect", () => {
      isConnected = true;
      upstream.setTimeout(0);
      state.metrics.recordLatency(performance.now() - startedAt);
      this.ejector.recordSuccess(id);
      if (first && first.length > 0) {
        upstream.write(first);
      }
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => {
      if (!isConnected && !isClientGone) {
        this.ejector.recordFailure(id);
        if (onRefused) {
          isClosed = true;
          isHandedOver = true;
          state.metrics.recordFailure();
          this.release(state);
          onRefused();

          return;
        }
      }
      client.destroy();
    });
    upstream.on("close", () => {
      if (!isHandedOver) {
        client.destroy();
      }
      close();
    });
    const leave = () => {
      isClientGone = !isConnected;
      upstream.destroy();
    };
    client.once("error", leave);
    client.once("close", leave);
  }

  // -------------------------------------------------------------------------------------------
  // 4. TCP
  // -------------------------------------------------------------------------------------------

  private tcpServer(): net.Server {
    return net.createServer((client) => {
      this.track(client);
      // Bytes the client sends before the backend answers wait in the socket.
      client.pause();
      this.connectTcp(client, new Set());
    });
  }

  private track(socket: net.Socket): void {
    this.tunnels.add(socket);
    socket.once("close", () => this.tunnels.delete(socket));
  }

  /** A connection that the backend refuses is tried once more on another one. */
  private connectTcp(client: net.Socket, tried: Set<string>): void {
    const clientAddress = clientAddressOf(client.remoteAddress);
    const state = this.choose(tried, clientAddress);
    if (!state) {
      client.destroy();

      return;
    }
    tried.add(state.backend.replicaId);
    const retry = tried.size < 2 ? () => this.connectTcp(client, tried) : undefined;
    this.pipeTo(state, client, undefined, retry);
  }

  // -------------------------------------------------------------------------------------------
  // 5. Life cycle
  // -------------------------------------------------------------------------------------------

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.route.servicePort, this.options.address, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.server.on("error", (error) => this.log.warn({ err: error }, "listener error"));
    this.log.info({ mode: this.route.mode, policy: this.route.policy }, "gateway listening");
  }

  /** Per backend, what happened since the last call (for the stats writer). */
  sample(): TBackendStats[] {
    const now = performance.now();
    const elapsedMs = now - this.lastSampleAt;
    this.lastSampleAt = now;

    return [...this.backends.values()].map((state) => ({
      replicaId: state.backend.replicaId,
      ...state.metrics.sample(elapsedMs),
      activeConnections: state.outstanding,
      isEjected: this.ejector.isEjected(state.backend.replicaId),
    }));
  }

  /**
   * Stops accepting at once (the port is free when this returns to the event loop), cuts
   * WebSockets and tcp connections, lets http requests in flight finish for up to `graceMs`,
   * then cuts what is left and closes every backend pool.
   */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // A tunnel has no end of its own to wait for; left open it would outlive its app.
    this.tunnels.forEach((socket) => socket.destroy());
    if (this.server instanceof http.Server) {
      this.server.closeIdleConnections();
    }
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.server instanceof http.Server) {
          this.server.closeAllConnections();
        }
        resolve();
      }, graceMs);
    });
    await Promise.race([closed, cut]);
    clearTimeout(timer);
    for (const state of this.backends.values()) {
      state.agent.destroy();
    }
    this.backends.clear();
    this.retired.clear();
  }

  /** Open tunnels (WebSockets, tcp connections) through this listener. */
  get tunnelCount(): number {
    return this.tunnels.size;
  }
}
