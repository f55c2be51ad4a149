import { spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";

import { redactPgUrl } from "./pg-url";

export interface TApplyMigrationsOptions {
  /** Directory holding prisma.config.ts and node_modules; defaults to process.cwd(). */
  projectRoot?: string;
  /** Kill prisma after this long; it should need seconds. */
  timeoutMs?: number;
  log?: (msg: string, fields?: object) => void;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const KILL_GRACE_MS = 5_000;
/** Output kept in memory, from the end; enough for any error prisma prints. */
const MAX_OUTPUT_CHARS = 64_000;
const ERROR_TAIL_CHARS = 4_000;
/**
 * The last line `migrate deploy` prints, and only on success, once its work is done.
 * TODO(db): Prisma 6.19's WASM schema engine starts a 10 s timer (its advisory-lock
 * timeout) that it never clears, so the CLI idles for 10 s after finishing. When one of
 * these lines has appeared and the CLI has not exited within EXIT_GRACE_MS, it is stopped
 * and counted as successful. Should Prisma reword them, the only cost is the 10 s wait.
 */
const SUCCESS_LINES = [
  "No pending migrations to apply.",
  "All migrations have been successfully applied.",
];
const EXIT_GRACE_MS = 500;

interface TRunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
  stoppedAfterSuccess: boolean;
}

/**
 * Applies pending migrations from prisma/migrations with `prisma migrate deploy`, run as a
 * child process so it uses the project's prisma.config.ts (and its migration adapter).
 * Works against PostgreSQL and the embedded PGlite server alike.
 * @throws Error with the tail of prisma's output when it fails or times out.
 */
export async function applyMigrations(
  databaseUrl: string,
  options: TApplyMigrationsOptions = {},
): Promise<void> {
  const root = options.projectRoot ?? process.cwd();
  const prismaBin = await findPrismaCli(root);
  const startedAt = Date.now();
  const result = await runNode(prismaBin, ["migrate", "deploy"], {
    cwd: root,
    env: migrationEnv(databaseUrl),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  if (!isSuccess(result)) {
    throw new Error(failureMessage(result, databaseUrl));
  }
  options.log?.("migrations applied", { durationMs: Date.now() - startedAt });
}

async function findPrismaCli(root: string): Promise<string> {
  const bin = join(root, "node_modules", ".bin", "prisma");
  const config = join(root, "prisma.config.ts");
  try {
    await Promise.all([access(bin), access(config)]);
  } catch {
    throw new Error(
      `cannot run migrations: expected ${bin} and ${config}; ` +
        "run from the project root or pass projectRoot",
    );
  }

  return bin;
}

function migrationEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    // Offline machines: skip the telemetry and update checks, which wait on the network.
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    NO_COLOR: "1",
  };
}

/**
 * Runs a JS file with this Node binary (no shell, no PATH lookup), keeping its output.
 * Stops the child shortly after it prints a success line (see SUCCESS_LINES).
 */
function runNode(
  script: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<TRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const state = { output: "", timedOut: false, stoppedAfterSuccess: false };
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS).unref();
    };
    const append = (chunk: Buffer): void => {
      state.output = (state.output + chunk.toString("utf8")).slice(-MAX_OUTPUT_CHARS);
      if (graceTimer === undefined && hasSuccessLine(state.output)) {
        graceTimer = setTimeout(() => {
          state.stoppedAfterSuccess = true;
          stop();
        }, EXIT_GRACE_MS);
      }
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    const timeoutTimer = setTimeout(() => {
      state.timedOut = true;
      stop();
    }, opts.timeoutMs);
    const clearTimers = (): void => {
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
    };
    child.on("error", (error) => {
      clearTimers();
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimers();
      resolve({ code, signal, ...state });
    });
  });
}

function hasSuccessLine(output: string): boolean {
  const lines = output.split("\n").map((line) => line.trim());

  return SUCCESS_LINES.some((line) => lines.includes(line));
}

function isSuccess(result: TRunResult): boolean {
  // A signal means we stopped it; an exit code of its own after the success line counts.
  const stoppedByUs = result.stoppedAfterSuccess && result.signal !== null;

  return stoppedByUs || (!result.timedOut && result.code === 0);
}

function failureMessage(result: TRunResult, databaseUrl: string): string {
  const how = result.timedOut
    ? "timed out"
    : `failed (exit ${result.code ?? "none"}, signal ${result.signal ?? "none"})`;
  const tail = result.output.trim().slice(-ERROR_TAIL_CHARS).replaceAll(databaseUrl, "<url>");

  return `prisma migrate deploy ${how} for ${redactPgUrl(databaseUrl)}:\n${tail}`;
}
