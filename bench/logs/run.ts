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

import { clockScript, percentile, readEngineLatencies, readTailLatencies } from "./latency";

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

type TPath = { name: string; samples: number[] };

/** Keeps latencies after the warm-up, up to SAMPLES of them. */
function recorder(path: TPath) {
  let seen = 0;

  return (latency: number) => {
    seen += 1;
    if (seen > WARM_UP_LINES && path.samples.length < SAMPLES) {
      path.samples.push(latency);
    }
  };
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
      args: ["-c", clockScript(INTERVAL_MS)],
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
    const [target] = LAB_TARGETS;
    if (!target) {
      throw new Error("no lab node");
    }
    const singleInput = { appId: app.id, replicaId: replica.id, tail: 0 };
    const readers = [
      readEngineLatencies(target, replica.containerId, recorder(engine), abort.signal),
      readTailLatencies(api.url, cookie, singleInput, replica.slot, recorder(single), abort.signal),
      readTailLatencies(
        api.url,
        cookie,
        { appId: app.id, tail: 0 },
        replica.slot,
        recorder(merged),
        abort.signal,
      ),
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
