/**
 * The stats benchmark: what it costs, in CPU, to watch N running containers each second, by
 * three methods, measured on the lab's engines. Prints Markdown for docs/benchmarks.md.
 *
 *   flock /tmp/berth-test.lock npx tsx bench/stats/run.ts            50 and 100 containers
 *   flock /tmp/berth-test.lock npx tsx bench/stats/run.ts --sizes 20 --seconds 10
 *
 * Methods: (a) the engine's stats stream per container (what live charts use), (b) one-shot
 * stats of every container once a second, (c) the containers' cgroup v1 files read directly
 * (local engines only), (d) Berth's own StatsCollector (server/stats/collector.ts) doing its
 * 10 s rounds over replica rows that name the bench's containers, writing to the test
 * database. For each: CPU used by this process and by the lab's dockerd processes (from
 * /proc/<pid>/stat) over the window, in percent of one core. The bench makes its own
 * containers (berth-demo/web:1, labelled org.berth.bench=stats) and removes them; (d)
 * empties the test database first, as the integration tests do (hence the lock).
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import type { Node, PrismaClient } from "@/server/db/generated/client";
import { engineClient, readContainerStats } from "@/server/docker/engine";
import { logger } from "@/server/logger";
import { SAMPLE_INTERVAL_MS, StatsCollector } from "@/server/stats/collector";
import { forEachBounded } from "@/server/stats/engines";
import { LiveStatsHub } from "@/server/stats/live-hub";
import { ZEngineStats, readingOf } from "@/server/stats/maths";
import { labEndpoint } from "@/server/test/config";
import migrateTestDb from "@/server/test/global-setup";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";

const NODES = [1, 2, 3];
const IMAGE = "berth-demo/web:1";
const LABEL = "org.berth.bench";
const CLOCK_TICKS_PER_S = 100;
const ONE_SHOT_PER_NODE = 8;
const TICK_MS = 1000;

type TContainer = { id: string; k: number };

const targetOf = (k: number) => ({
  endpoint: { transport: "tcp" as const, host: `127.0.0.${k + 1}`, port: 2375 },
});
const dockerOf = (k: number) => engineClient(targetOf(k), 30_000);

/** A Node row as the hub needs it: only the id and the endpoint are read. */
function nodeOf(k: number): Node {
  const endpoint = `tcp://127.0.0.${k + 1}:2375`;

  return { id: `bench-n${k}`, name: `n${k}`, endpoint, transport: "tcp" } as Node;
}

async function dockerdTicks(): Promise<number> {
  let ticks = 0;
  for (const k of NODES) {
    const pid = (await readFile(`/run/docker-n${k}.pid`, "utf8")).trim();
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ");
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the name).
    ticks += Number(fields?.[11] ?? 0) + Number(fields?.[12] ?? 0);
  }

  return ticks;
}

/** Readings taken by the method being measured, so a method that silently fails shows. */
let readings = 0;

/** CPU of this process and of the engines while `work` runs for `seconds`. */
async function measure(seconds: number, work: (signal: AbortSignal) => Promise<void>) {
  const abort = new AbortController();
  const running = work(abort.signal);
  // A warm-up second: streams open and first readings are not the steady state.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const cpu0 = process.cpuUsage();
  const ticks0 = await dockerdTicks();
  const readings0 = readings;
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const ticks = (await dockerdTicks()) - ticks0;
  const perSecond = (readings - readings0) / wallS;
  abort.abort();
  await running;

  return {
    selfPercent: ((cpu.user + cpu.system) / 1e6 / wallS) * 100,
    enginesPercent: (ticks / CLOCK_TICKS_PER_S / wallS) * 100,
    perSecond,
  };
}

async function everySecond(signal: AbortSignal, tick: () => Promise<void>) {
  while (!signal.aborted) {
    const started = Date.now();
    await tick();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, TICK_MS - (Date.now() - started))),
    );
  }
}

async function viaStreams(containers: TContainer[], signal: AbortSignal) {
  const hub = new LiveStatsHub({ log: logger() });
  for (const c of containers) {
    hub.subscribe(nodeOf(c.k), c.id, () => {
      readings += 1;
    });
  }
  await new Promise((resolve) => signal.addEventListener("abort", resolve));
  hub.closeAll();
}

async function viaOneShot(containers: TContainer[], signal: AbortSignal) {
  const byNode = NODES.map((k) => containers.filter((c) => c.k === k));
  const dockers = new Map(NODES.map((k) => [k, dockerOf(k)]));
  await everySecond(signal, async () => {
    await Promise.all(
      byNode.map((group) =>
        forEachBounded(group, ONE_SHOT_PER_NODE, async (c) => {
          const raw = await readContainerStats(
            dockers.get(c.k) as ReturnType<typeof dockerOf>,
            targetOf(c.k),
            c.id,
            AbortSignal.timeout(5000),
          ).catch(() => undefined);
          const parsed = ZEngineStats.safeParse(raw);
          if (parsed.success) {
            readingOf(parsed.data);
            readings += 1;
          }
        }),
      ),
    );
  });
}

async function viaCgroups(containers: TContainer[], signal: AbortSignal) {
  const root = "/sys/fs/cgroup";
  await everySecond(signal, async () => {
    await Promise.all(
      containers.map(async (c) => {
        const dir = `berth-lab-n${c.k}/${c.id}`;
        await Promise.all([
          readFile(`${root}/cpuacct/${dir}/cpuacct.usage`, "utf8"),
          readFile(`${root}/memory/${dir}/memory.usage_in_bytes`, "utf8"),
          readFile(`${root}/memory/${dir}/memory.stat`, "utf8"),
          readFile(`${root}/blkio/${dir}/blkio.throttle.io_service_bytes`, "utf8"),
        ])
          .then(() => {
            readings += 1;
          })
          .catch(() => undefined);
      }),
    );
  });
}

/** What the collector's rounds did during a window: how long each took, rows written. */
type TRound = { ms: number; rows: number };

/**
 * The real collector over replica rows naming the bench's containers: one round every 10 s
 * (as its timer does), each timed. A round writes a row per container read in time, from its
 * second reading on; fewer rows than containers means some were skipped.
 */
async function viaCollector(
  db: PrismaClient,
  containers: TContainer[],
  rounds: TRound[],
  signal: AbortSignal,
) {
  const caller = callerFor(db, await createPrincipal(db, "operator"));
  const nodes = new Map<number, string>();
  for (const k of NODES) {
    nodes.set(k, (await caller.node.create({ name: `n${k}`, endpoint: labEndpoint(k) })).id);
  }
  const app = await caller.app.create({
    name: `bench-${containers.length}`,
    image: IMAGE,
    replicas: 0,
  });
  const { currentRevisionId } = await db.app.findUniqueOrThrow({ where: { id: app.id } });
  await db.replica.createMany({
    data: containers.map((c, slot) => ({
      appId: app.id,
      revisionId: currentRevisionId as string,
      slot,
      nodeId: nodes.get(c.k) as string,
      state: "running" as const,
      containerId: c.id,
    })),
  });
  const collector = new StatsCollector({ db, log: logger(), retentionDays: 14 });
  try {
    while (!signal.aborted) {
      const started = performance.now();
      const rows = await collector.round();
      const ms = performance.now() - started;
      rounds.push({ ms, rows });
      readings += rows;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, SAMPLE_INTERVAL_MS - ms));
        function done() {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          resolve();
        }
        signal.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    await collector.stop();
    await db.replica.deleteMany({ where: { appId: app.id } });
    await db.app.delete({ where: { id: app.id } });
    await db.node.deleteMany({ where: { id: { in: [...nodes.values()] } } });
  }
}

async function removeBenchContainers() {
  for (const k of NODES) {
    const docker = dockerOf(k);
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL}=stats`] } });
    await forEachBounded(list, 8, async (c) => {
      await docker.getContainer(c.Id).remove({ force: true });
    });
  }
}

async function startContainers(count: number): Promise<TContainer[]> {
  const wanted = Array.from({ length: count }, (_, i) => NODES[i % NODES.length] as number);
  const made: TContainer[] = [];
  await forEachBounded([...wanted.entries()], 6, async ([i, k]) => {
    const docker = dockerOf(k);
    const container = await docker.createContainer({
      Image: IMAGE,
      name: `berth-bench-stats-${i}`,
      Labels: { [LABEL]: "stats" },
      HostConfig: { CgroupParent: `/berth-lab-n${k}`, NetworkMode: "bridge" },
    });
    await container.start();
    made.push({ id: container.id, k });
  });

  return made;
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "50,100" },
      seconds: { type: "string" },
      "collector-seconds": { type: "string" },
      methods: { type: "string", default: "a,b,c,d" },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  const seconds = Number(values.seconds ?? 30);
  // Six rounds of the collector in its window, by default.
  const collectorSeconds = Number(values["collector-seconds"] ?? 60);
  const methods = new Set(values.methods.split(","));
  const rows: string[] = [];
  const roundRows: string[] = [];
  await migrateTestDb();
  const db = await openTestDb();
  await removeBenchContainers();
  try {
    for (const size of sizes) {
      const containers = await startContainers(size);
      const measured: [string, Awaited<ReturnType<typeof measure>>][] = [];
      if (methods.has("a")) {
        const streams = await measure(seconds, (s) => viaStreams(containers, s));
        measured.push(["(a) engine stats streams", streams]);
      }
      if (methods.has("b")) {
        measured.push([
          "(b) one-shot stats every second",
          await measure(seconds, (s) => viaOneShot(containers, s)),
        ]);
      }
      if (methods.has("c")) {
        measured.push([
          "(c) cgroup files every second",
          await measure(seconds, (s) => viaCgroups(containers, s)),
        ]);
      }
      if (methods.has("d")) {
        const rounds: TRound[] = [];
        const collected = await measure(collectorSeconds, (s) =>
          viaCollector(db, containers, rounds, s),
        );
        measured.push(["(d) Berth's StatsCollector, 10 s rounds", collected]);
        // The first round only primes each container: it writes no rows.
        const counted = rounds.slice(1);
        const times = counted.map((r) => r.ms).sort((x, y) => x - y);
        const short = counted.filter((r) => r.rows < size).length;
        const meanRows = counted.reduce((sum, r) => sum + r.rows, 0) / counted.length;
        roundRows.push(
          `| ${size} | ${counted.length} | ${(times[0] ?? NaN).toFixed(0)} ` +
            `| ${(times.at(-1) ?? NaN).toFixed(0)} | ${meanRows.toFixed(1)} ` +
            `| ${Math.min(...counted.map((r) => r.rows))} | ${short} |`,
        );
      }
      const [, first] = measured[0] ?? [];
      const base = first ? first.selfPercent + first.enginesPercent : NaN;
      for (const [name, m] of measured) {
        const total = m.selfPercent + m.enginesPercent;
        rows.push(
          `| ${size} | ${name} | ${m.selfPercent.toFixed(1)} | ${m.enginesPercent.toFixed(1)} ` +
            `| ${total.toFixed(1)} | ${(total / base).toFixed(2)} | ${m.perSecond.toFixed(1)} |`,
        );
      }
      await removeBenchContainers();
    }
  } finally {
    await removeBenchContainers();
    await db.$disconnect();
  }
  process.stdout.write(
    [
      `${seconds} s windows (the collector: ${collectorSeconds} s), CPU in % of one core`,
      "",
      "| containers | method | this process | dockerd (3 engines) | total | × first " +
        "| readings/s |",
      "| ---------: | ------ | -----------: | ------------------: | ----: | ------: " +
        "| ---------: |",
      ...rows,
      "",
      "Collector rounds after the first (which only primes):",
      "",
      "| containers | rounds | fastest ms | slowest ms | rows (mean) | fewest rows " +
        "| rounds short of a row per container |",
      "| ---------: | -----: | ---------: | ---------: | ----------: | ----------: | ------: |",
      ...roundRows,
      "",
    ].join("\n"),
  );
}

await main();
