/**
 * The parent side of bench/gateway/worker.ts: starts a child process (optionally pinned to
 * one CPU with taskset) and sends it jobs over IPC, one answer per job.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

import type { TLoadResult } from "./load";
import type { TJob, TJobResult, TLoadJob } from "./worker";

const WORKER = path.join(import.meta.dirname, "worker.ts");
const STOP_TIMEOUT_MS = 5000;

type TAnswer = { id: number; value?: TJobResult; error?: string };

export type TWorker = {
  run: (job: TJob) => Promise<TJobResult>;
  open: (job: TLoadJob & { perSecond: number; seconds: number }) => Promise<TLoadResult>;
  closed: (job: TLoadJob & { clients: number; seconds: number }) => Promise<TLoadResult>;
  count: (job: TLoadJob & { count: number; clients: number }) => Promise<TLoadResult>;
  stop: () => Promise<void>;
  pid: number | undefined;
};

/** `taskset -c CPU` in front of a command when a CPU is given. */
export function pinned(cpu: string | undefined, command: string, args: string[]) {
  return cpu === undefined
    ? { command, args }
    : { command: "taskset", args: ["-c", cpu, command, ...args] };
}

export function startWorker(name: string, cpu?: string): TWorker {
  const { command, args } = pinned(cpu, process.execPath, ["--import", "tsx", WORKER]);
  const child: ChildProcess = spawn(command, args, {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  });
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve: (v: TJobResult) => void; reject: (e: Error) => void }
  >();
  child.on("message", (answer: TAnswer) => {
    const waiter = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.error !== undefined) {
      waiter?.reject(new Error(`${name} worker: ${answer.error}`));
    } else {
      waiter?.resolve(answer.value ?? null);
    }
  });
  child.once("exit", (code) => {
    for (const waiter of waiting.values()) {
      waiter.reject(new Error(`${name} worker exited with ${code}`));
    }
    waiting.clear();
  });
  const run = (job: TJob) =>
    new Promise<TJobResult>((resolve, reject) => {
      const id = (nextId += 1);
      waiting.set(id, { resolve, reject });
      child.send({ id, job });
    });
  const load = async (job: TJob) => (await run(job)) as TLoadResult;

  return {
    run,
    open: (job) => load({ ...job, kind: "open" }),
    closed: (job) => load({ ...job, kind: "closed" }),
    count: (job) => load({ ...job, kind: "count" }),
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      await run({ kind: "close" }).catch(() => null);
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
