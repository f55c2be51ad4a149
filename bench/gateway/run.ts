/**
 * The gateway benchmark: the same replicas of berth-demo/web:1 on the lab reached straight
 * (one replica's published port), through Berth's gateway (startGateway in this process) and
 * through nginx with an equivalent keepalive upstream; then one replica slowed by 200 ms, and
 * the spread of every balancing policy. Prints Markdown for docs/benchmarks.md.
 *
 *   flock /tmp/berth-test.lock npx tsx bench/gateway/run.ts            about 4 minutes
 *   flock /tmp/berth-test.lock npx tsx bench/gateway/run.ts --quick    about 1.5 minutes
 *
 * Options: --seconds (per constant-rate point), --rates 500,1000,2000 (half the gateway's
 * maximum is always added), --max-seconds, --clients (closed loop), --slow-rate,
 * --requests (fairness, per policy). Only loopback addresses are used.
 */
import os from "node:os";
import { parseArgs } from "node:util";

import type { TLbPolicy } from "@/server/apps/spec";
import type { TBackend } from "@/server/gateway/routes";

import { type TLabApp, startLabApp } from "./lab-app";
import { closedLoop, countHosts, openLoop } from "./load";
import { type TNginx, startNginx } from "./nginx";
import { benchWeight, startDelayShim, startPolicyProxy } from "./policy-proxy";
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
  reportSlow,
} from "./report";

const REPLICAS = 4;
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
};

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
  };
}

function describeMachine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const load = os.loadavg().map((value) => value.toFixed(2));

  return `${cpu}, ${os.cpus().length} cores, Node ${process.version}, load ${load.join(" ")}`;
}

type TUrls = Record<TTarget, string>;

async function eachTarget(run: (url: string) => Promise<TByTarget[TTarget]>, urls: TUrls) {
  const results: Partial<TByTarget> = {};
  for (const target of TARGETS) {
    results[target] = await run(urls[target]);
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

async function runSlow(
  backends: readonly TBackend[],
  hosts: Map<string, number>,
  options: TOptions,
): Promise<TSlowRun[]> {
  const runs: TSlowRun[] = [];
  const victim = backends[REPLICAS - 1];
  if (!victim) {
    return runs;
  }
  const shim = await startDelayShim(victim, SLOW_DELAY_MS);
  const slowed = [
    ...backends.slice(0, REPLICAS - 1),
    { ...victim, host: shim.host, port: shim.port },
  ];
  try {
    for (const policy of ["p2c", "least-connections", "round-robin"] as const) {
      for (const isSlowed of [false, true]) {
        const proxy = await startPolicyProxy(policy, isSlowed ? slowed : backends);
        try {
          await closedLoop(proxy.url, 4, WARM_UP_SECONDS);
          const result = await openLoop(proxy.url, options.slowRate, options.seconds);
          const slowAnswers = [...result.hosts.entries()]
            .filter(([host]) => hosts.get(host) === REPLICAS - 1)
            .reduce((sum, [, count]) => sum + count, 0);
          runs.push({ policy, isSlowed, result, slowShare: slowAnswers / result.ok });
        } finally {
          await proxy.close();
        }
      }
    }
  } finally {
    await shim.close();
  }

  return runs;
}

function expectedShares(policy: TLbPolicy): number[] {
  const weights = Array.from({ length: REPLICAS }, (_, i) => benchWeight(i, policy));
  const total = weights.reduce((sum, weight) => sum + weight, 0);

  return weights.map((weight) => weight / total);
}

async function runFairness(
  backends: readonly TBackend[],
  hosts: Map<string, number>,
  requests: number,
): Promise<TFairnessRun[]> {
  const runs: TFairnessRun[] = [];
  for (const policy of POLICIES) {
    const isHash = policy === "consistent-hash";
    const hashKey = isHash ? { source: "header" as const, name: "x-user" } : undefined;
    const proxy = await startPolicyProxy(policy, backends, hashKey);
    try {
      let user = 0;
      const headers = isHash ? () => ({ "x-user": `user-${(user += 1)}` }) : undefined;
      const result = await countHosts(proxy.url, requests, FAIRNESS_CLIENTS, { headers });
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
    } finally {
      await proxy.close();
    }
  }

  return runs;
}

async function runLoad(app: TLabApp, nginx: TNginx, options: TOptions): Promise<void> {
  const direct = app.backends[0];
  if (!direct) {
    throw new Error("no replica to reach directly");
  }
  const urls: TUrls = {
    direct: `http://${direct.host}:${direct.port}`,
    gateway: app.serviceUrl,
    nginx: nginx.url,
  };
  print(`Targets: direct ${urls.direct}, gateway ${urls.gateway}, nginx ${urls.nginx}.\n`);
  await eachTarget((url) => closedLoop(url, 8, WARM_UP_SECONDS), urls);
  const max = await eachTarget((url) => closedLoop(url, options.clients, options.maxSeconds), urls);
  reportMaximum(max, options.clients, options.maxSeconds);
  const half = Math.round(max.gateway.achievedPerSecond / 2 / 50) * 50;
  const rates = [...new Set([...options.rates, half])].sort((a, b) => a - b);
  const points: TRatePoint[] = [];
  for (const rate of rates) {
    const results = await eachTarget((url) => openLoop(url, rate, options.seconds), urls);
    points.push({ rate, results });
  }
  reportRates(points, options.seconds);
  print(`Half of the gateway's maximum: ${half} req/s.\n`);
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= "warn";
  const options = parseOptions();
  print(`Machine: ${describeMachine()}\n`);
  const startedAt = Date.now();
  let app: TLabApp | undefined;
  let nginx: TNginx | undefined;
  const cleanUp = async () => {
    await nginx?.stop();
    nginx = undefined;
    await app?.stop();
    app = undefined;
  };
  const onSignal = () => {
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    app = await startLabApp(REPLICAS);
    nginx = await startNginx(app.backends);
    const hosts = await learnHosts(app.backends);
    await runLoad(app, nginx, options);
    reportSlow(await runSlow(app.backends, hosts, options), options.slowRate, options.seconds);
    reportFairness(await runFairness(app.backends, hosts, options.requests), options.requests);
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
