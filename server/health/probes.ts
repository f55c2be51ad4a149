/**
 * The three probes a health check may run. HTTP and TCP reach the replica where its port is
 * published on its node's own address, as a client would; a command runs inside the container
 * through the engine, as an argv array, never through a shell.
 */
import net from "node:net";

import type Docker from "dockerode";

import type { THealthCheck } from "@/server/apps/spec";
import { type TEngineTarget, execInContainer } from "@/server/docker/engine";

import type { TProbeResult } from "./verdict";

const OUTPUT_CHARS = 200;

export type TProbeTarget = {
  /** Where the check's port is published, when the check needs the network. */
  address?: { host: string; port: number };
  engine: { docker: Docker; target: TEngineTarget };
  containerId: string;
};

function messageOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") {
    return "timed out";
  }
  const cause = (error as { cause?: { code?: string } }).cause?.code;

  return cause ?? (error instanceof Error ? error.message : String(error));
}

async function probeHttp(
  host: string,
  port: number,
  path: string,
  timeoutMs: number,
): Promise<TProbeResult> {
  const url = `http://${host}:${port}${path}`;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
      headers: { "user-agent": "berth-health" },
    });
    await response.body?.cancel();
    const isOk = response.status >= 200 && response.status < 400;

    return { isOk, message: `HTTP ${response.status} from ${path}` };
  } catch (error) {
    return { isOk: false, message: `GET ${path}: ${messageOf(error)}` };
  }
}

function probeTcp(host: string, port: number, timeoutMs: number): Promise<TProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (result: TProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish({ isOk: false, message: `port ${port}: timed out` }));
    socket.once("connect", () => finish({ isOk: true, message: `port ${port} accepts` }));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish({ isOk: false, message: `port ${port}: ${error.code ?? error.message}` }),
    );
  });
}

async function probeCommand(
  probe: TProbeTarget,
  command: string[],
  timeoutMs: number,
): Promise<TProbeResult> {
  try {
    const { docker, target } = probe.engine;
    const result = await execInContainer(docker, target, probe.containerId, command, timeoutMs);
    const output = result.output.trim().slice(0, OUTPUT_CHARS);
    const code = result.exitCode === null ? "no exit code" : `exit code ${result.exitCode}`;

    return { isOk: result.exitCode === 0, message: output ? `${code}: ${output}` : code };
  } catch (error) {
    return { isOk: false, message: `${command[0] ?? "command"}: ${messageOf(error)}` };
  }
}

export function runProbe(check: THealthCheck, probe: TProbeTarget): Promise<TProbeResult> {
  if (check.type === "command") {
    return probeCommand(probe, check.command, check.timeoutMs);
  }
  if (!probe.address) {
    const message = `port ${check.port} is not published, so it cannot be checked`;

    return Promise.resolve({ isOk: false, message });
  }
  const { host, port } = probe.address;

  return check.type === "http"
    ? probeHttp(host, port, check.path, check.timeoutMs)
    : probeTcp(host, port, check.timeoutMs);
}
