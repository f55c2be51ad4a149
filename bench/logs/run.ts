/**
 * Live log latency: from a line written in a container (which prints its own clock, read with
 * microseconds) to its arrival through `log.tail` over HTTP on 127.0.0.1 (server-sent events,
 * the browser's path), for one replica and for the merged app view. The baseline, in the same
 * run and on the same lines, reads the engine's follow stream directly.
 *
 *   flock /tmp/berth-test.lock npx tsx bench/logs/run.ts [--lines 300] [--interval-ms 50]
 *
 * Uses the test database (recreated and migrated first, as the integration tests do) and lab
 * node 1; never pulls images.
 */
import os from "node:os";
import { parseArgs } from "node:util";

import superjson from "superjson";

import { engineClient, openContainerLog } from "@/server/docker/engine";
import { LogDecoder } from "@/server/logs/frames";
import { labEndpoint } from "@/server/test/config";
import migrateTestDb from "@/server/test/global-setup";
import {
  callerFor,
  createPrincipal,
  openTestDb,
  startTestApi,
  waitFor,
} from "@/server/test/harness";
import { LAB_TARGETS, removeAllBerthContainers, startTestController } from "@/server/test/lab";
import { waitForReady } from "@/server/test/replicas";

const { values: flags } = parseArgs({
  options: {
    lines: { type: "string", default: "300" },
    "interval-ms": { type: "string", default: "50" },
  },
});
const SAMPLES = Number(flags.lines);
const INTERVAL_MS = Number(flags["interval-ms"]);
/** The first lines of each path are dropped: connections and caches warm up. */
const WARM_UP_LINES = 20;
const RUN_TIMEOUT_MS = 120_000 + SAMPLES * INTERVAL_MS * 2;
const MAX_CONTAINER_LINES = 20_000;

/**
 * Prints "lat <seconds> <microseconds>" every interval. adjtimex reads the clock; the rest
 * is shell built-ins, so nothing runs between the reading and the echo but its own exit.
 */
const SCRIPT = [
  "i=0",
  `while [ $i -lt ${MAX_CONTAINER_LINES} ]; do`,
  "  i=$((i+1))",
  "  out=$(adjtimex)",
  "  s=${out#*tv_sec:}; s=${s%%time.tv_usec*}",
  "  u=${out#*tv_usec:}; u=${u%%return*}",
  "  echo lat $s $u",
  `  usleep ${INTERVAL_MS * 1000}`,
  "done",
].join("\n");

type TPath = { name: string; samples: number[] };

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Latency in ms of a "lat s us" line read now; undefined for other lines. */
function latencyOf(line: string, arrivedMs: number): number | undefined {
  const match = /^lat (\d+) (\d+)$/.exec(line.trim());
  if (!match) {
    return undefined;
  }

  return arrivedMs - (Number(match[1]) * 1000 + Number(match[2]) / 1000);
}

function record(path: TPath, latency: number | undefined, seen: { count: number }) {
  if (latency === undefined) {
    return;
  }
  seen.count += 1;
  if (seen.count > WARM_UP_LINES && path.samples.length < SAMPLES) {
    path.samples.push(latency);
  }
}

/** Reads `log.tail` as server-sent events, like the browser does, until the signal aborts. */
async function readTail(
  url: string,
  cookie: string,
  input: object,
  path: TPath,
  slot: number,
  signal: AbortSignal,
) {
  const query = encodeURIComponent(JSON.stringify(superjson.serialize(input)));
  const response = await fetch(`${url}/log.tail?input=${query}`, {
    headers: { cookie, accept: "text/event-stream" },
    signal,
  });
  if (!response.body) {
    throw new Error(`log.tail answered ${response.status} without a body`);
  }
  const seen = { count: 0 };
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    const reader = response.body.getReader();
    // Ends when the signal aborts the request.
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const arrived = nowMs();
      buffered += decoder.decode(read.value, { stream: true });
      const events = buffered.split("\n\n");
      buffered = events.pop() ?? "";
      for (const event of events) {
        const data = event
          .split("\n")
          .filter((field) => field.startsWith("data: "))
          .map((field) => field.slice(6))
          .join("\n");
        if (!data.startsWith("{")) {
          continue;
        }
        const message = superjson.deserialize<{
          kind?: string;
          lines?: { slot: number; line: string }[];
        } | null>(JSON.parse(data) as Parameters<typeof superjson.deserialize>[0]);
        // The first event carries the connection settings, not a message.
        if (message?.kind !== "live") {
          continue;
        }
        for (const line of message.lines ?? []) {
          if (line.slot === slot) {
            record(path, latencyOf(line.line, arrived), seen);
          }
        }
      }
    }
  } catch (error) {
    if (!signal.aborted) {
      throw error;
    }
  }
}

/** The baseline: the engine's follow stream of the same container, read here directly. */
async function readEngine(containerId: string, path: TPath, signal: AbortSignal) {
  const [target] = LAB_TARGETS;
  if (!target) {
    throw new Error("no lab node");
  }
  const stream = await openContainerLog(engineClient(target, 0), target, containerId, {
    isFollow: true,
    tail: 0,
    signal,
  });
  const decoder = new LogDecoder();
  const seen = { count: 0 };
  try {
    for await (const chunk of stream) {
      const arrived = nowMs();
      for (const line of decoder.push(chunk as Buffer)) {
        record(path, latencyOf(line.line, arrived), seen);
      }
    }
  } catch (error) {
    if (!signal.aborted) {
      throw error;
    }
  }
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));

  return sorted[index] ?? Number.NaN;
}

function report(paths: TPath[]) {
  const cpu = `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"})`;
  console.log(`\n${SAMPLES} lines per path, one every ${INTERVAL_MS} ms, after`);
  console.log(`${WARM_UP_LINES} warm-up lines each; ${cpu}\n`);
  console.log("| path | lines | p50 ms | p90 ms | p99 ms | max ms |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const path of paths) {
    const sorted = [...path.samples].sort((a, b) => a - b);
    const cells = [50, 90, 99, 100].map((p) => percentile(sorted, p).toFixed(1));
    console.log(`| ${path.name} | ${sorted.length} | ${cells.join(" | ")} |`);
  }
}

async function main() {
  await migrateTestDb();
  const db = await openTestDb();
  await removeAllBerthContainers();
  const principal = await createPrincipal(db, "operator");
  const caller = callerFor(db, principal);
  await caller.node.create({ name: "lab-1", endpoint: labEndpoint(1), labels: {} });
  const controller = startTestController(db);
  const api = await startTestApi(db);
  const abort = new AbortController();
  try {
    await waitFor("controller leadership", () => (controller.isLeader() ? true : undefined));
    const app = await caller.app.create({
      name: "latency",
      image: "berth-demo/web:1",
      replicas: 2,
      command: ["/bin/sh"],
      args: ["-c", SCRIPT],
    });
    const [replica] = await waitForReady(db, app.id, 2);
    if (!replica?.containerId) {
      throw new Error("no running replica");
    }
    const cookie = await api.signInCookie(principal.name);
    const paths: TPath[] = [
      { name: "engine follow stream, read directly (baseline)", samples: [] },
      { name: "log.tail of one replica over HTTP (SSE)", samples: [] },
      { name: "log.tail of the app, 2 replicas merged (100 ms window)", samples: [] },
    ];
    const [engine, single, merged] = paths as [TPath, TPath, TPath];
    const readers = [
      readEngine(replica.containerId, engine, abort.signal),
      readTail(
        api.url,
        cookie,
        { appId: app.id, replicaId: replica.id, tail: 0 },
        single,
        replica.slot,
        abort.signal,
      ),
      readTail(api.url, cookie, { appId: app.id, tail: 0 }, merged, replica.slot, abort.signal),
    ];
    await waitFor(
      `${SAMPLES} lines on every path`,
      () => (paths.every((path) => path.samples.length >= SAMPLES) ? true : undefined),
      { timeoutMs: RUN_TIMEOUT_MS, intervalMs: 200 },
    );
    abort.abort();
    await Promise.allSettled(readers);
    report(paths);
  } finally {
    abort.abort();
    await api.close();
    await controller.stop();
    await removeAllBerthContainers();
    await db.$disconnect();
  }
}

await main();
