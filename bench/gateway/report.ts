/** Markdown reports of the gateway benchmark, ready to paste into docs/benchmarks.md. */
import { fixed, median, table, thousands } from "../scheduler/measure";

import type { TLoadResult } from "./load";

/**
 * app-proxy: the gateway's AppProxy alone in a child process (no database work around it).
 * node-http: the plainest Node proxy (bench/gateway/worker.ts), what any Node proxy pays here.
 * nginx: `worker_processes auto` (one per core); nginx-1w: one worker, as one Node process.
 */
export const TARGETS = [
  "direct",
  "gateway",
  "app-proxy",
  "node-http",
  "nginx",
  "nginx-1w",
] as const;
/** The proxies whose added latency is reported, in column order. */
const PROXIES = TARGETS.filter((target) => target !== "direct");
export type TTarget = (typeof TARGETS)[number];
export type TByTarget = Record<TTarget, TLoadResult>;

/** `cpuMs`: CPU of each proxy's processes during the point (direct has none). */
export type TRatePoint = {
  rate: number;
  results: TByTarget;
  cpuMs: Partial<Record<TTarget, number>>;
};

export type TSlowRun = {
  policy: string;
  isSlowed: boolean;
  result: TLoadResult;
  /** Share of answers that came from the slowed replica. */
  slowShare: number;
};

export type TFairnessRun = {
  policy: string;
  /** Answers per replica, in slot order. */
  counts: number[];
  /** Expected share per replica, in slot order. */
  expected: number[];
  errors: number;
  note: string;
};

export function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

const ms = (value: number) => fixed(value, 2);
const ratio = (value: number) => fixed(value, 2);

export function reportMaximum(max: TByTarget, clients: number, seconds: number): void {
  print(`### Maximum rate (closed loop, ${clients} clients, ${seconds} s each)\n`);
  const rows = TARGETS.map((target) => {
    const r = max[target];

    return [
      target,
      thousands(r.achievedPerSecond),
      ms(r.p50Ms),
      ms(r.p99Ms),
      thousands(r.errors),
      ratio(r.achievedPerSecond / max.nginx.achievedPerSecond),
      ratio(r.achievedPerSecond / max["nginx-1w"].achievedPerSecond),
      ratio(r.achievedPerSecond / max.direct.achievedPerSecond),
    ];
  });
  const header = ["target", "req/s", "p50 ms", "p99 ms", "errors", "÷ nginx", "÷ nginx-1w"];
  print(table([...header, "÷ direct"], rows));
  print();
}

export function reportRates(points: readonly TRatePoint[], seconds: number): void {
  print(`### Constant rate (open loop, ${seconds} s per point)\n`);
  const rows = points.flatMap((point) =>
    TARGETS.map((target) => {
      const r = point.results[target];

      return [
        thousands(point.rate),
        target,
        thousands(r.achievedPerSecond),
        ms(r.p50Ms),
        ms(r.p99Ms),
        thousands(r.errors),
      ];
    }),
  );
  print(table(["offered req/s", "target", "achieved req/s", "p50 ms", "p99 ms", "errors"], rows));
  print();
  print("Added latency at each rate (proxy minus direct, same rate), p50 / p99 in ms:\n");
  const added = points.map((point) => {
    const { direct } = point.results;

    return [
      thousands(point.rate),
      ...PROXIES.map((target) => {
        const r = point.results[target];

        return `${ms(r.p50Ms - direct.p50Ms)} / ${ms(r.p99Ms - direct.p99Ms)}`;
      }),
    ];
  });
  print(table(["offered req/s", ...PROXIES], added));
  print();
  print("Proxy CPU per 1,000 answered requests (the proxy's processes, from /proc):\n");
  const cpu = points.map((point) => [
    thousands(point.rate),
    ...PROXIES.map((target) => {
      const used = point.cpuMs[target];
      const answered = point.results[target].achievedPerSecond * seconds;

      return used === undefined || answered === 0
        ? "–"
        : `${fixed((used / answered) * 1000, 0)} ms`;
    }),
  ]);
  print(table(["offered req/s", ...PROXIES], cpu));
  print();
}

/**
 * The half-maximum point measured again in rounds, every target once per round in turn: a
 * single 10 s p99 here moves by several times between runs, so the verdict takes the median
 * of the rounds' added p99.
 */
export function reportRounds(rounds: readonly TRatePoint[], seconds: number): void {
  const rate = rounds[0]?.rate ?? 0;
  print(`### Added p99 at ${thousands(rate)} req/s, ${rounds.length} rounds of ${seconds} s\n`);
  const addedOf = (point: TRatePoint, target: TTarget) =>
    point.results[target].p99Ms - point.results.direct.p99Ms;
  const rows = rounds.map((point, i) => [
    String(i + 1),
    ms(point.results.direct.p99Ms),
    ...PROXIES.map((target) => ms(addedOf(point, target))),
  ]);
  rows.push([
    "median",
    ms(median(rounds.map((point) => point.results.direct.p99Ms))),
    ...PROXIES.map((target) => ms(median(rounds.map((point) => addedOf(point, target))))),
  ]);
  print(table(["round", "direct p99 ms", ...PROXIES.map((t) => `${t} +p99 ms`)], rows));
  print();
}

export function reportSlow(runs: readonly TSlowRun[], rate: number, seconds: number): void {
  print(`### One of four replicas slowed by 200 ms (${thousands(rate)} req/s, ${seconds} s)\n`);
  const healthyOf = (policy: string) =>
    runs.find((run) => run.policy === policy && !run.isSlowed)?.result.p99Ms ?? Number.NaN;
  const rows = runs.map((run) => [
    run.policy,
    run.isSlowed ? "one slowed" : "all healthy",
    thousands(run.result.achievedPerSecond),
    ms(run.result.p50Ms),
    ms(run.result.p99Ms),
    `${fixed(run.slowShare * 100, 2)} %`,
    thousands(run.result.errors),
    run.isSlowed ? ratio(run.result.p99Ms / healthyOf(run.policy)) : "",
  ]);
  const header = [
    "policy",
    "replicas",
    "achieved req/s",
    "p50 ms",
    "p99 ms",
    "to slowed replica",
    "errors",
    "p99 ÷ healthy p99",
  ];
  print(table(header, rows));
  print();
}

export function reportFairness(runs: readonly TFairnessRun[], requests: number): void {
  print(`### Fairness over ${thousands(requests)} requests, four replicas\n`);
  const rows = runs.map((run) => {
    const total = run.counts.reduce((sum, count) => sum + count, 0);
    const cells = run.counts.map((count, i) => {
      const share = `${fixed((count / total) * 100, 1)} %`;

      return `${thousands(count)} (${share} of ${fixed((run.expected[i] ?? 0) * 100, 1)} %)`;
    });
    const worst = Math.max(
      ...run.counts.map((count, i) => {
        const expected = (run.expected[i] ?? 0) * total;

        return expected > 0 ? Math.abs(count - expected) / expected : 0;
      }),
    );

    return [run.policy, ...cells, `${fixed(worst * 100, 1)} %`, thousands(run.errors), run.note];
  });
  const header = [
    "policy",
    "replica 1",
    "replica 2",
    "replica 3",
    "replica 4",
    "worst deviation",
    "errors",
    "note",
  ];
  print(table(header, rows));
  print();
}
