/**
 * nginx from Debian as the reference proxy: the same backends in an `upstream` block with
 * keepalive, run in the foreground from a temporary prefix and stopped by the benchmark.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { pinned } from "./workers";

export const NGINX_BINARY = "/usr/sbin/nginx";
const START_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 5000;

export type TUpstream = { host: string; port: number };

export type TNginx = { url: string; pid: number | undefined; stop: () => Promise<void> };

/** A free TCP port on 127.0.0.1, as the kernel hands one out. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) {
    throw new Error("no free port on 127.0.0.1");
  }

  return address.port;
}

/**
 * `workers` worker processes ("auto": one per core); access logs off, as a proxy measured
 * for speed would run. Round robin is nginx's default upstream policy.
 */
export function nginxConfig(
  upstreams: readonly TUpstream[],
  port: number,
  workers: number | "auto" = "auto",
): string {
  const servers = upstreams.map((u) => `    server ${u.host}:${u.port};`).join("\n");

  return [
    `worker_processes ${workers};`,
    "error_log logs/error.log warn;",
    "pid logs/nginx.pid;",
    "events { worker_connections 4096; }",
    "http {",
    "  access_log off;",
    "  upstream berth_bench {",
    servers,
    "    keepalive 64;",
    "  }",
    "  server {",
    `    listen 127.0.0.1:${port};`,
    "    location / {",
    "      proxy_pass http://berth_bench;",
    "      proxy_http_version 1.1;",
    '      proxy_set_header Connection "";',
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`nginx exited with code ${child.exitCode}`);
    }
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (isOpen) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`);
}

/** Starts nginx in front of `upstreams`; `stop` ends it and removes its temporary prefix. */
export async function startNginx(
  upstreams: readonly TUpstream[],
  workers: number | "auto" = "auto",
  cpu?: string,
): Promise<TNginx> {
  const prefix = await mkdtemp(path.join(os.tmpdir(), "berth-bench-nginx-"));
  await mkdir(path.join(prefix, "logs"));
  const port = await freePort();
  const conf = path.join(prefix, "nginx.conf");
  await writeFile(conf, nginxConfig(upstreams, port, workers));
  const nginxArgs = ["-p", prefix, "-c", conf, "-g", "daemon off;"];
  const { command, args } = pinned(cpu, NGINX_BINARY, nginxArgs);
  const child = spawn(command, args, {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      // SIGQUIT: graceful shutdown of the master and its workers.
      child.kill("SIGQUIT");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(prefix, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}: ${stderr.trim()}`);
  }

  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop };
}
