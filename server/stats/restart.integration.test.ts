/**
 * History outlives Berth itself: Berth runs as a real process (web and controller roles,
 * against the test database), collects stats and logs of a running replica, is killed with
 * SIGKILL and started again. What its HTTP API showed before the kill (stats history of the
 * app and the replica, stored log lines) is still there after, value for value, and the
 * restarted collectors go on from where they were: new points, and stored beats that neither
 * repeat nor skip a line across the kill.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AppRouter } from "@/server/api/root";
import type { PrismaClient } from "@/server/db/generated/client";
import { TEST_DATABASE_URL, labEndpoint } from "@/server/test/config";
import { callerFor, createPrincipal, openTestDb, waitFor } from "@/server/test/harness";
import { removeAllBerthContainers } from "@/server/test/lab";
import { type TReplicaRow, waitForReady } from "@/server/test/replicas";

const PROJECT_DIR = path.resolve(import.meta.dirname, "../..");
/** Next.js prepares its pages and tsx compiles the server: a cold start takes a while. */
const START_TIMEOUT_MS = 90_000;
const EXIT_TIMEOUT_MS = 10_000;
/** Three collector rounds: the first only primes a container. */
const SAMPLES_TIMEOUT_MS = 60_000;
const BEATS_TIMEOUT_MS = 30_000;
/** The lease of the killed leader lapses before the new process can lead. */
const RESUME_TIMEOUT_MS = 90_000;
const MAX_BEATS = 3000;
const MAX_PAGES = 5;

const SCRIPT = [
  `(n=0; while [ $n -lt ${MAX_BEATS} ]; do n=$((n+1)); echo "beat $n"; sleep 0.2; done) &`,
  "exec /start.sh",
].join("\n");

type TClient = ReturnType<typeof createTRPCClient<AppRouter>>;
type TPoint = { at: Date; cpuPercent: number; memoryBytes: number };

let db: PrismaClient;
let child: ChildProcess | undefined;
let dataDir = "";
let port = 0;
let client: TClient;
let appId = "";
let replica: TReplicaRow;
const secretKey = randomBytes(32).toString("base64");

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: found } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return found;
}

/**
 * Starts Berth as `npm run serve` does (tsx server/main.ts), but with tsx loaded into the one
 * node process (`node --import tsx`): a SIGKILL then kills Berth itself, not a wrapper that
 * would leave it running.
 */
async function startBerth(): Promise<ChildProcess> {
  const started = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: PROJECT_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: TEST_DATABASE_URL,
      BERTH_ROLES: "web,controller",
      BERTH_HOST: "127.0.0.1",
      BERTH_PORT: String(port),
      BERTH_PULL_IMAGES: "false",
      BERTH_AUTO_ADD_LOCAL: "false",
      BERTH_DATA_DIR: dataDir,
      BERTH_SECRET_KEY: secretKey,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  let exitCode: number | null | undefined;
  started.once("exit", (code) => {
    exitCode = code;
  });
  await waitFor(
    "berth answering its health probe",
    async () => {
      if (exitCode !== undefined) {
        throw new Error(`berth exited with ${exitCode} while starting`);
      }
      const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
        signal: AbortSignal.timeout(1000),
      }).catch(() => undefined);

      return response?.ok ? true : undefined;
    },
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 250 },
  );

  return started;
}

/** SIGKILL, as a crash or the OOM killer would; resolves once the process is gone. */
async function killBerth(berth: ChildProcess | undefined): Promise<void> {
  if (!berth || berth.exitCode !== null || berth.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => berth.once("exit", () => resolve()));
  berth.kill("SIGKILL");
  await Promise.race([
    exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("berth did not exit after SIGKILL")), EXIT_TIMEOUT_MS),
    ),
  ]);
}

async function history(scope: "app" | "replica", id: string): Promise<TPoint[]> {
  const range = scope === "app" ? "15m" : "1h";
  const { points } = await client.stats.history.query({ target: { scope, id }, range });

  return points.map(({ at, cpuPercent, memoryBytes }) => ({ at, cpuPercent, memoryBytes }));
}

/** Every stored beat line, page by page (at most MAX_PAGES of 1,000). */
async function storedBeats() {
  const lines: { key: string; line: string }[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const found = await client.log.search.query({ appId, text: "beat ", limit: 1000, cursor });
    lines.push(...found.lines.map(({ key, line }) => ({ key, line })));
    if (!found.nextCursor) {
      return lines;
    }
    cursor = found.nextCursor;
  }
  throw new Error(`more than ${MAX_PAGES} pages of beats`);
}

function beatNumbers(lines: { line: string }[]): number[] {
  return lines.map((l) => Number(/^beat (\d+)$/.exec(l.line)?.[1])).sort((a, b) => a - b);
}

beforeAll(async () => {
  db = await openTestDb();
  await removeAllBerthContainers();
  const admin = callerFor(db, await createPrincipal(db, "admin"));
  await admin.node.create({ name: "lab-1", endpoint: labEndpoint(1), labels: {} });
  appId = (
    await admin.app.create({
      name: "survivor",
      image: "berth-demo/web:1",
      replicas: 1,
      command: ["/bin/sh"],
      args: ["-c", SCRIPT],
    })
  ).id;
  const { token } = await admin.token.create({ name: "restart-test", role: "viewer" });
  dataDir = await mkdtemp(path.join(tmpdir(), "berth-restart-"));
  port = await freePort();
  const url = `http://127.0.0.1:${port}/api/trpc`;
  client = createTRPCClient<AppRouter>({
    links: [
      httpLink({ url, transformer: superjson, headers: { authorization: `Bearer ${token}` } }),
    ],
  });
  child = await startBerth();
  [replica] = (await waitForReady(db, appId, 1)) as [TReplicaRow];
}, START_TIMEOUT_MS + 90_000);

afterAll(async () => {
  await killBerth(child);
  await removeAllBerthContainers();
  await rm(dataDir, { recursive: true, force: true });
  await db.$disconnect();
});

describe("after Berth is killed and started again", () => {
  it("serves the same history and stored logs, and goes on collecting", async () => {
    // Before: a few rounds of samples and some beats, read through the HTTP API.
    const before = await waitFor(
      "three stats points and ten stored beats",
      async () => {
        const points = await history("app", appId);
        const beats = await storedBeats();

        return points.length >= 3 && beats.length >= 10 ? { points, beats } : undefined;
      },
      { timeoutMs: SAMPLES_TIMEOUT_MS, intervalMs: 1000 },
    );
    const replicaBefore = await history("replica", replica.id);

    expect(before.points.every((p) => p.memoryBytes > 0)).toBe(true);

    await killBerth(child);
    const downFor = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => "refused");

    expect(downFor).toBe("refused");

    child = await startBerth();
    const afterPoints = await history("app", appId);
    const afterReplica = await history("replica", replica.id);
    const afterBeats = await storedBeats();
    const atOf = (points: TPoint[]) => new Map(points.map((p) => [p.at.getTime(), p]));

    // Every point and line shown before is shown again, unchanged.
    expect(afterPoints.length).toBeGreaterThanOrEqual(before.points.length);
    for (const point of before.points) {
      expect(atOf(afterPoints).get(point.at.getTime())).toEqual(point);
    }
    for (const point of replicaBefore) {
      expect(atOf(afterReplica).get(point.at.getTime())).toEqual(point);
    }
    const afterKeys = new Map(afterBeats.map((l) => [l.key, l.line]));
    for (const line of before.beats) {
      expect(afterKeys.get(line.key)).toBe(line.line);
    }

    // The new process leads, samples again and reads the log on from its stored cursor.
    const restartedAt = Date.now();
    const newest = before.points.at(-1)?.at.getTime() ?? 0;
    await waitFor(
      "a stats point written by the new process",
      async () =>
        (await history("app", appId)).some((p) => p.at.getTime() > newest) ? true : undefined,
      { timeoutMs: RESUME_TIMEOUT_MS, intervalMs: 1000 },
    );
    const lastBefore = Math.max(...beatNumbers(before.beats));
    const beats = await waitFor(
      "beats stored past the kill",
      async () => {
        const numbers = beatNumbers(await storedBeats());

        return (numbers.at(-1) ?? 0) >= lastBefore + 25 ? numbers : undefined;
      },
      { timeoutMs: BEATS_TIMEOUT_MS, intervalMs: 500 },
    );

    expect(beats).toEqual(Array.from({ length: beats.length }, (_, i) => i + 1));
    expect(Date.now() - restartedAt).toBeLessThan(RESUME_TIMEOUT_MS + BEATS_TIMEOUT_MS);
  }, 300_000);
});
