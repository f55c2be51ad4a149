/** Markdown reports of the benchmark runs, ready to paste into docs/benchmarks.md. */
import { fixed, median, table, thousands } from "./measure";
import { BERTH_BINPACK, type TOnlineRun } from "./online";
import { type TRepackRun } from "./repack";
import { BERTH_ONLINE, type TThroughputRun } from "./throughput";

export const NOMAD = "Nomad BestFit v3, log2 N limit";
export const K8S_MOST = "k8s MostAllocated";

export function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

function ratioOf(run: TOnlineRun, name: string): number {
  const result = run.results.find((r) => r.name === name);

  return result ? result.nodesUsed / run.lowerBound : Number.NaN;
}

/** The share of nodes Berth binpack saves against `name`: 1 − Berth's nodes / theirs. */
function savingOf(run: TOnlineRun, name: string): number {
  return 1 - ratioOf(run, BERTH_BINPACK) / ratioOf(run, name);
}

function label(run: TOnlineRun): string {
  return `${run.family} (seed ${run.seed})`;
}

function usedCell(run: TOnlineRun, name: string): string {
  const result = run.results.find((r) => r.name === name);
  if (!result) {
    return "–";
  }
  const unplaced = result.unplaced > 0 ? `, ${result.unplaced} unplaced` : "";

  return `${thousands(result.nodesUsed)} (${fixed(ratioOf(run, name), 3)}${unplaced})`;
}

export function reportOnline(runs: readonly TOnlineRun[]): void {
  const first = runs[0];
  if (!first) {
    return;
  }
  const names = first.results.map((result) => result.name);
  print(`### Online packing: nodes used (÷ lower bound)\n`);
  const arrivals = `${thousands(first.replicas)} replicas arriving as apps of 1 to 4 replicas`;
  print(`${thousands(first.nodeCount)} identical empty nodes; ${arrivals}.\n`);
  const rows = runs.map((run) => [
    label(run),
    thousands(run.lowerBound),
    ...names.map((name) => usedCell(run, name)),
  ]);
  const medians = names.map(
    (name) => `**${fixed(median(runs.map((run) => ratioOf(run, name))), 3)}**`,
  );
  print(
    table(["family", "lower bound", ...names], [...rows, ["**median ratio**", "", ...medians]]),
  );
  print();
  reportSavings(
    runs,
    names.filter((name) => name !== BERTH_BINPACK),
  );
  reportPackingSpeed(runs, names);
}

/** Placements per second of each placer in the packing runs (Berth scores every node). */
function reportPackingSpeed(runs: readonly TOnlineRun[], names: readonly string[]): void {
  const rate = (name: string) => {
    const seconds = runs.reduce(
      (sum, run) => sum + (run.results.find((r) => r.name === name)?.seconds ?? 0),
      0,
    );

    return thousands(runs.reduce((sum, run) => sum + run.replicas, 0) / seconds);
  };
  const rates = names.map((name) => `${name} ${rate(name)}`);
  print(`Placements per second in these runs: ${rates.join("; ")}.\n`);
}

function reportSavings(runs: readonly TOnlineRun[], others: readonly string[]): void {
  print("### Online packing: share of nodes Berth binpack saves against each\n");
  const cell = (value: number) => `${fixed(100 * value, 1)} %`;
  const rows = runs.map((run) => [label(run), ...others.map((name) => cell(savingOf(run, name)))]);
  const medians = others.map(
    (name) => `**${cell(median(runs.map((run) => savingOf(run, name))))}**`,
  );
  print(table(["family", ...others], [...rows, ["**median**", ...medians]]));
  print();
}

function rateOf(run: TThroughputRun, name: string): number {
  return run.rates.find((rate) => rate.name === name)?.perSecond ?? Number.NaN;
}

export function reportThroughput(runs: readonly TThroughputRun[]): void {
  const first = runs[0];
  if (!first) {
    return;
  }
  const names = first.rates.map((rate) => rate.name);
  print("### Throughput: placements per second\n");
  const apps = "apps of 1 to 4 replicas, half binpack, half spread";
  const arrivals = `${thousands(first.placements)} new replicas in ${apps}`;
  print(`${thousands(first.nodeCount)} nodes; ${arrivals}.\n`);
  const rows = runs.map((run) => [
    run.family,
    run.running > 0 ? `${thousands(run.running)} running` : "empty",
    run.constrained ? "one label constraint" : "none",
    fixed(run.meanFeasible, 0),
    fixed(run.compileSeconds * 1000, 0),
    ...names.map((name) => thousands(rateOf(run, name))),
  ]);
  const medians = names.map((name) => `**${thousands(median(runs.map((r) => rateOf(r, name))))}**`);
  const header = ["family", "cluster", "constraint", "feasible nodes scored", "compile (ms)"];
  print(table([...header, ...names], [...rows, ["**median**", "", "", "", "", ...medians]]));
  print();
}

export function reportRepack(runs: readonly TRepackRun[]): void {
  print("### Re-pack (offline)\n");
  const rows = runs.map((run) => [
    run.family,
    thousands(run.replicas),
    thousands(run.nodesUsedBefore),
    thousands(run.nodesUsed),
    thousands(run.lowerBound),
    fixed(run.nodesUsed / run.lowerBound, 3),
    thousands(run.moves),
    fixed(run.seconds, 2),
    String(run.violations),
    `${thousands(run.firstFitDecreasing)} (${fixed(run.firstFitDecreasing / run.lowerBound, 3)})`,
  ]);
  const header = ["family", "replicas", "nodes before", "after", "lower bound", "after ÷ bound"];
  const tail = ["moves", "seconds", "violations on replay", "FFD nodes (÷ bound)"];
  print(table([...header, ...tail], rows));
  print();
}

function verdict(met: boolean): string {
  return met ? "**met**" : "**missed**";
}

function onlineTargets(runs: readonly TOnlineRun[]): string[] {
  if (runs.length === 0) {
    return [];
  }
  const berth = median(runs.map((run) => ratioOf(run, BERTH_BINPACK)));
  const lines = [
    `online binpack median ≤ 1.08 × bound: ${fixed(berth, 3)} ${verdict(berth <= 1.08)}`,
  ];
  for (const name of [NOMAD, K8S_MOST]) {
    const saving = median(runs.map((run) => savingOf(run, name)));
    lines.push(
      `≥ 5 % fewer nodes than ${name}: ${fixed(100 * saving, 1)} % ${verdict(saving >= 0.05)}`,
    );
  }

  return lines;
}

function throughputTargets(runs: readonly TThroughputRun[]): string[] {
  if (runs.length === 0) {
    return [];
  }
  const rate = Math.min(...runs.map((run) => rateOf(run, BERTH_ONLINE)));
  const text = ">= 5,000 placements/s, every feasible node scored, slowest row: " + thousands(rate);

  return [`${text} ${verdict(rate >= 5000)}`];
}

function repackTargets(runs: readonly TRepackRun[]): string[] {
  if (runs.length === 0) {
    return [];
  }
  const worst = Math.max(...runs.map((run) => run.nodesUsed / run.lowerBound));
  const slowest = Math.max(...runs.map((run) => run.seconds));

  return [
    `re-pack ≤ 1.03 × bound, worst family: ${fixed(worst, 3)} ${verdict(worst <= 1.03)}`,
    `re-pack ≤ 10 s, slowest family: ${fixed(slowest, 2)} s ${verdict(slowest <= 10)}`,
  ];
}

export function reportTargets(
  online: readonly TOnlineRun[],
  throughput: readonly TThroughputRun[],
  repack: readonly TRepackRun[],
): void {
  print("### Targets\n");
  const lines = [
    ...throughputTargets(throughput),
    ...onlineTargets(online),
    ...repackTargets(repack),
  ];
  lines.forEach((line) => print(`- ${line}`));
  print();
}
