/**
 * The scheduler benchmark: online packing quality, placement throughput and offline re-pack,
 * with reference placers (Kubernetes LeastAllocated and MostAllocated, Nomad BestFit v3) run
 * on the same arrival sequences. Prints Markdown for docs/benchmarks.md.
 *
 *   npx tsx bench/scheduler/run.ts            every experiment and family (about 1.5 min)
 *   npx tsx bench/scheduler/run.ts --quick    small sizes, a few seconds
 *   npx tsx bench/scheduler/run.ts --experiment online --online-nodes 5000 \
 *     --online-replicas 150000 --families uniform      online packing at full size
 *
 * Options: --experiment online,throughput,repack (default all); --families a,b; --seeds 1,2;
 * --nodes and --replicas (the running cluster); --placements (new replicas to time);
 * --online-nodes and --online-replicas (the packing experiment's empty cluster, arrivals).
 */
import os from "node:os";
import { parseArgs } from "node:util";

import { FAMILIES, type TFamily } from "./families";
import { type TOnlineRun, runOnline } from "./online";
import { type TRepackRun, runRepack } from "./repack";
import { print, reportOnline, reportRepack, reportTargets, reportThroughput } from "./report";
import { labelledNodes, populate } from "./synthetic";
import { type TThroughputRun, runThroughput } from "./throughput";

type TSizes = {
  nodes: number;
  replicas: number;
  placements: number;
  onlineNodes: number;
  onlineReplicas: number;
};

type TOptions = TSizes & { experiments: Set<string>; families: TFamily[]; seeds: number[] };

const FULL: TSizes = {
  nodes: 5000,
  replicas: 150_000,
  placements: 10_000,
  onlineNodes: 1000,
  onlineReplicas: 30_000,
};

const QUICK: TSizes = {
  nodes: 1000,
  replicas: 30_000,
  placements: 2000,
  onlineNodes: 300,
  onlineReplicas: 9000,
};

const SIZE_FLAGS = {
  nodes: "nodes",
  replicas: "replicas",
  placements: "placements",
  onlineNodes: "online-nodes",
  onlineReplicas: "online-replicas",
} as const satisfies Record<keyof TSizes, string>;

function sizesFrom(values: Record<string, string | boolean | undefined>): TSizes {
  const base = values.quick === true ? QUICK : FULL;
  const sizes = { ...base };
  for (const [key, flag] of Object.entries(SIZE_FLAGS) as [keyof TSizes, string][]) {
    const value = values[flag];
    if (typeof value === "string") {
      sizes[key] = Number(value);
    }
  }

  return sizes;
}

function parseOptions(): TOptions {
  const sizeOptions = Object.fromEntries(
    Object.values(SIZE_FLAGS).map((flag) => [flag, { type: "string" as const }]),
  );
  const { values } = parseArgs({
    options: {
      experiment: { type: "string", default: "online,throughput,repack" },
      families: { type: "string", default: FAMILIES.join(",") },
      seeds: { type: "string", default: "1" },
      quick: { type: "boolean", default: false },
      ...sizeOptions,
    },
  });
  const isFamily = (name: string): name is TFamily =>
    (FAMILIES as readonly string[]).includes(name);

  return {
    ...sizesFrom(values),
    experiments: new Set(String(values.experiment).split(",")),
    families: String(values.families).split(",").filter(isFamily),
    seeds: String(values.seeds).split(",").map(Number),
  };
}

type TResults = { online: TOnlineRun[]; throughput: TThroughputRun[]; repack: TRepackRun[] };

function runFamily(options: TOptions, family: TFamily, seed: number, results: TResults): void {
  const { experiments } = options;
  if (experiments.has("online")) {
    results.online.push(runOnline(family, seed, options.onlineNodes, options.onlineReplicas));
  }
  if (!experiments.has("throughput") && !experiments.has("repack")) {
    return;
  }
  const running = populate(labelledNodes(options.nodes, seed), family, seed, options.replicas);
  if (experiments.has("throughput")) {
    // The running cluster with and without label constraints, then the worst case for
    // scoring: an empty cluster, where every node is feasible for every replica.
    const empty = { ...running.snapshot, replicas: [] };
    const scenarios = [
      [running.snapshot, true],
      [running.snapshot, false],
      [empty, false],
    ] as const;
    for (const [snapshot, constrained] of scenarios) {
      const run = runThroughput(family, seed, snapshot, options.placements, constrained);
      results.throughput.push(run);
    }
  }
  if (experiments.has("repack")) {
    results.repack.push(runRepack(family, running.snapshot, running.specs));
  }
}

function describeMachine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const load = os.loadavg().map((value) => value.toFixed(2));

  return `${cpu}, ${os.cpus().length} cores, Node ${process.version}, load ${load.join(" ")}`;
}

function main(): void {
  const options = parseOptions();
  print(`Machine: ${describeMachine()}\n`);
  const results: TResults = { online: [], throughput: [], repack: [] };
  for (const seed of options.seeds) {
    options.families.forEach((family) => runFamily(options, family, seed, results));
  }
  reportOnline(results.online);
  reportThroughput(results.throughput);
  if (results.repack.length > 0) {
    reportRepack(results.repack);
  }
  reportTargets(results.online, results.throughput, results.repack);
}

main();
