/**
 * The gateway benchmark: the same replicas of berth-demo/web:1 on the lab reached straight
 * (one replica's published port), through Berth's gateway (its own process, `node --import
 * tsx server/main.ts` with BERTH_ROLES=gateway, routes from the database), through the same
 * proxy code alone in a child process (app-proxy: no database, heartbeat or reloads), through
 * the plainest Node proxy (node-http, what Node itself costs) and through nginx with an
 * equivalent keepalive upstream (one worker per core, and one worker); then one replica slowed
 * by 200 ms, and the spread of every balancing policy, each set with app.update while the
 * gateway runs. The load generator, the delay shim and the slowed-replica proxy are child
 * processes too (bench/gateway/worker.ts). Prints Markdown for docs/benchmarks.md.
 *
 *   flock /tmp/berth-test.lock npx tsx bench/gateway/run.ts            about 9 minutes
 *   flock /tmp/berth-test.lock npx tsx bench/gateway/run.ts --quick    about 3 minutes
 *
 * Options: --seconds (per constant-rate point), --rates 500,1000,2000 (half the gateway's
 * maximum is always added), --rounds (of the half-maximum point), --max-seconds, --clients
 * (closed loop), --slow-rate, --requests (fairness, per policy), --pin (load generator on
 * CPU 0; every proxy on CPU 1). Only loopback addresses are used.
 */
import os from "node:os";
import { parseArgs } from "node:util";

import type { TLbPolicy, TLoadBalancing } from "@/server/apps/spec";
import type { TBackend } from "@/server/gateway/routes";

import { treeCpuMs } from "./cpu";
import { type TGatewayProcess, startGatewayProcess } from "./gateway-process";
import { type TLabApp, startLabApp } from "./lab-app";
import { type TNginx, startNginx } from "./nginx";
import { type TWorker, startWorker } from "./workers";
import {
  TARGETS,
  type TByTarget,
  type TFairnessRun,
  type TRatePoint,
  type TSlowRun,
  type TTarget,
  print,
  reportFairness,
  reportMaximum,
  reportRates,
  reportRounds,
  reportSlow,
} from "./report";

const REPLICAS = 4;
const SERVICE_PORT = 20600;
const GATEWAY_PORTS = "20600-20699";
/** After an lb change: the gateway applies it within tens of ms (cross-process test). */
const SETTLE_MS = 500;
const BENCH_WEIGHTS = [3, 1, 1, 1];
const SLOW_DELAY_MS = 200;
const WARM_UP_SECONDS = 1;
const FAIRNESS_CLIENTS = 16;
const POLICIES: TLbPolicy[] = [
  "round-robin",
  "weighted",
  "random",
  "least-connections",
  "p2c",
  "consistent-hash",
];

type TOptions = {
  seconds: number;
  rates: number[];
  maxSeconds: number;
  clients: number;
  slowRate: number;
  requests: number;
  rounds: number;
  isPinned: boolean;
};

type TCpus = { load?: string; proxy?: string };

function parseOptions(): TOptions {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      seconds: { type: "string" },
      rates: { type: "string", default: "500,1000,2000" },
      "max-seconds": { type: "string" },
      clients: { type: "string", default: "32" },
      "slow-rate": { type: "string", default: "500" },
      requests: { type: "string" },
      rounds: { type: "string" },
      pin: { type: "boolean", default: false },
    },
  });
  const isQuick = values.quick === true;

  return {
    seconds: Number(values.seconds ?? (isQuick ? 3 : 10)),
    rates: String(values.rates).split(",").map(Number),
    maxSeconds: Number(values["max-seconds"] ?? (isQuick ? 2 : 5)),
    clients: Number(values.clients),
    slowRate: Number(values["slow-rate"]),
    requests: Number(values.requests ?? (isQuick ? 2000 : 10_000)),
    rounds: Number(values.rounds ?? (isQuick ? 1 : 3)),
    isPinned: values.pin === true,
  };
}

function describeMachine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const load = os.loadavg().map((value) => value.toFixed(2));

  return `${cpu}, ${os.cpus().length} cores, Node ${process.version}, load ${load.join(" ")}`;
}

type TUrls = Record<TTarget, string>;
type TPids = Partial<Record<TTarget, number>>;

async function eachTarget(
  run: (url: string, target: TTarget) => Promise<TByTarget[TTarget]>,
  urls: TUrls,
) {
  const results: Partial<TByTarget> = {};
  for (const target of TARGETS) {
    results[target] = await run(urls[target], target);
  }

  return results as TByTarget;
}

/** Replica hostname (what the demo answers) → slot index, asked straight at each replica. */
async function learnHosts(backends: readonly TBackend[]): Promise<Map<string, number>> {
  const hosts = new Map<string, number>();
  for (const [index, backend] of backends.entries()) {
    const response = await fetch(`http://${backend.host}:${backend.port}/`);
    hosts.set(((await response.json()) as { host: string }).host, index);
  }

  return hosts;
}

function lbFor(policy: TLbPolicy): TLoadBalancing {
  if (policy === "weighted") {
    return { policy, weights: BENCH_WEIGHTS };
  }
  if (policy === "consistent-hash") {
    return { policy, hashKey: { source: "header", name: "x-user" } };
  }

  return { policy };
}

/** Through the Berth proxy code in its own process, over 3 replicas and a slowed one. */
async function runSlow(
  backends: readonly TBackend[],
  hosts: Map<string, number>,
  load: TWorker,
  options: TOptions,
  cpus: TCpus,
): Promise<TSlowRun[]> {
  const runs: TSlowRun[] = [];
  const victim = backends[REPLICAS - 1];
  if (!victim) {
    return runs;
  }
  const shimWorker = startWorker("shim");
  const proxyWorker = startWorker("proxy", cpus.proxy);
  try {
    const shim = (await shimWorker.run({
      kind: "shim",
      target: victim,
      delayMs: SLOW_DELAY_MS,
    })) as { host: string; port: number };
    const slowed = [
      ...backends.slice(0, REPLICAS - 1),
      { ...victim, host: shim.host, port: shim.port },
    ];
    for (const policy of ["p2c", "least-connections", "round-robin"] as const) {
      for (const isSlowed of [false, true]) {
        const { url } = (await proxyWorker.run({
          kind: "proxy",
          policy,
          backends: isSlowed ? slowed : [...backends],
          hashKey: { source: "client-address" },
        })) as { url: string };
        await load.closed({ target: url, clients: 4, seconds: WARM_UP_SECONDS });
        const result = await load.open({
          target: url,
          perSecond: options.slowRate,
          seconds: options.seconds,
        });
        await proxyWorker.run({ kind: "close" });
        const slowAnswers = [...result.hosts.entries()]
          .filter(([host]) => hosts.get(host) === REPLICAS - 1)
          .reduce((sum, [, count]) => sum + count, 0);
        runs.push({ policy, isSlowed, result, slowShare: slowAnswers / result.ok });
      }
    }
  } finally {
    await proxyWorker.stop();
    await shimWorker.stop();
  }

  return runs;
}

function expectedShares(policy: TLbPolicy): number[] {
  const weights = Array.from({ length: REPLICAS }, (_, i) =>
    policy === "weighted" ? (BENCH_WEIGHTS[i] ?? 1) : 1,
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);

  return weights.map((weight) => weight / total);
}

/** Through the gateway process, each policy set live with app.update. */
async function runFairness(
  app: TLabApp,
  hosts: Map<string, number>,
  load: TWorker,
  requests: number,
): Promise<TFairnessRun[]> {
  const runs: TFairnessRun[] = [];
  for (const policy of POLICIES) {
    await app.setLb(lbFor(policy));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const isHash = policy === "consistent-hash";
    const result = await load.count({
      target: app.serviceUrl,
      count: requests,
      clients: FAIRNESS_CLIENTS,
      userHeader: isHash ? "x-user" : undefined,
    });
    const counts = Array.from({ length: REPLICAS }, () => 0);
    for (const [host, count] of result.hosts) {
      const slot = hosts.get(host);
      if (slot !== undefined) {
        counts[slot] = (counts[slot] ?? 0) + count;
      }
    }
    const note = isHash
      ? "key: x-user header, one distinct user per request"
      : policy === "weighted"
        ? "weights 3:1:1:1"
        : "";
    runs.push({ policy, counts, expected: expectedShares(policy), errors: result.errors, note });
  }
  await app.setLb({ policy: "round-robin" });

  return runs;
}

/** Each point with the CPU the proxies' processes used during it. */
async function eachTargetWithCpu(
  run: (url: string) => Promise<TByTarget[TTarget]>,
  urls: TUrls,
  pids: TPids,
): Promise<Omit<TRatePoint, "rate">> {
  const cpuMs: TRatePoint["cpuMs"] = {};
  const results = await eachTarget(async (url, target) => {
    const pid = pids[target];
    const before = pid === undefined ? 0 : await treeCpuMs(pid);
    const result = await run(url);
    if (pid !== undefined) {
      cpuMs[target] = (await treeCpuMs(pid)) - before;
    }

    return result;
  }, urls);

  return { results, cpuMs };
}

async function runLoad(urls: TUrls, pids: TPids, load: TWorker, options: TOptions): Promise<void> {
  print(`Targets: ${TARGETS.map((target) => `${target} ${urls[target]}`).join(", ")}.\n`);
  await eachTarget((target) => load.closed({ target, clients: 8, seconds: WARM_UP_SECONDS }), urls);
  const max = await eachTarget(
    (target) => load.closed({ target, clients: options.clients, seconds: options.maxSeconds }),
    urls,
  );
  reportMaximum(max, options.clients, options.maxSeconds);
  const half = Math.round(max.gateway.achievedPerSecond / 2 / 50) * 50;
  const rates = [...new Set([...options.rates, half])].sort((a, b) => a - b);
  const measure = async (rate: number): Promise<TRatePoint> => ({
    rate,
    ...(await eachTargetWithCpu(
      (target) => load.open({ target, perSecond: rate, seconds: options.seconds }),
      urls,
      pids,
    )),
  });
  const points: TRatePoint[] = [];
  for (const rate of rates) {
    points.push(await measure(rate));
  }
  reportRates(points, options.seconds);
  print(`Half of the gateway's maximum: ${half} req/s.\n`);
  const rounds = points.filter((point) => point.rate === half);
  while (rounds.length < options.rounds) {
    rounds.push(await measure(half));
  }
  reportRounds(rounds, options.seconds);
}

/** Waits until the gateway process serves every replica. */
async function waitForGateway(url: string, load: TWorker): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const result = await load.count({ target: url, count: 40, clients: 4 });
    if (result.ok === 40 && result.hosts.size === REPLICAS) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the gateway did not serve ${REPLICAS} replicas at ${url}`);
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= "warn";
  const options = parseOptions();
  const cpus: TCpus = options.isPinned ? { load: "0", proxy: "1" } : {};
  print(`Machine: ${describeMachine()}${options.isPinned ? "; pinned" : ""}\n`);
  const startedAt = Date.now();
  let app: TLabApp | undefined;
  let gateway: TGatewayProcess | undefined;
  let nginx: TNginx | undefined;
  let nginxSingle: TNginx | undefined;
  let load: TWorker | undefined;
  let nodeHttp: TWorker | undefined;
  let appProxy: TWorker | undefined;
  const cleanUp = async () => {
    await load?.stop();
    await nodeHttp?.stop();
    await appProxy?.stop();
    await nginx?.stop();
    await nginxSingle?.stop();
    await gateway?.stop();
    await app?.stop();
    load = nodeHttp = appProxy = nginx = nginxSingle = gateway = app = undefined;
  };
  const onSignal = () => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    app = await startLabApp(REPLICAS, SERVICE_PORT);
    gateway = await startGatewayProcess(app.db, GATEWAY_PORTS, cpus.proxy);
    nginx = await startNginx(app.backends, "auto", cpus.proxy);
    nginxSingle = await startNginx(app.backends, 1, cpus.proxy);
    load = startWorker("load", cpus.load);
    nodeHttp = startWorker("node-http", cpus.proxy);
    const { url: nodeHttpUrl } = (await nodeHttp.run({
      kind: "plain-proxy",
      backends: [...app.backends],
    })) as { url: string };
    appProxy = startWorker("app-proxy", cpus.proxy);
    const { url: appProxyUrl } = (await appProxy.run({
      kind: "proxy",
      policy: "round-robin",
      backends: [...app.backends],
      hashKey: { source: "client-address" },
    })) as { url: string };
    await waitForGateway(app.serviceUrl, load);
    const hosts = await learnHosts(app.backends);
    const direct = app.backends[0];
    if (!direct) {
      throw new Error("no replica to reach directly");
    }
    const urls: TUrls = {
      direct: `http://${direct.host}:${direct.port}`,
      gateway: app.serviceUrl,
      "app-proxy": appProxyUrl,
      "node-http": nodeHttpUrl,
      nginx: nginx.url,
      "nginx-1w": nginxSingle.url,
    };
    const pids: TPids = {
      gateway: gateway.pid,
      "app-proxy": appProxy.pid,
      "node-http": nodeHttp.pid,
      nginx: nginx.pid,
      "nginx-1w": nginxSingle.pid,
    };
    await runLoad(urls, pids, load, options);
    const slow = await runSlow(app.backends, hosts, load, options, cpus);
    reportSlow(slow, options.slowRate, options.seconds);
    reportFairness(await runFairness(app, hosts, load, options.requests), options.requests);
  } finally {
    await cleanUp();
  }
  print(`Total time: ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
