/**
 * The only module that talks to Docker engines. Engine API failures leave here as BerthErrors
 * that name the node or endpoint and say what to check.
 */
import Docker from "dockerode";
import { z } from "zod";

import { BerthError } from "@/server/errors";

import { type TEndpoint, formatEndpoint } from "./endpoint";

export type TTlsMaterial = { ca: string; cert: string; key: string };

export type TEngineTarget = {
  endpoint: TEndpoint;
  tls?: TTlsMaterial;
  /** Set for a registered node, so errors can name it. */
  nodeId?: string;
};

/** What Berth reads from an engine when a node is added or comes back. */
export type TEngineInfo = {
  cpus: number;
  memoryBytes: bigint;
  engineVersion: string;
  apiVersion: string;
  os: string;
  arch: string;
  kernelVersion: string;
  engineName: string;
  engineId: string;
};

export type TContainerPort = {
  privatePort: number;
  publicPort?: number;
  ip?: string;
  type: string;
};

export type TContainerSummary = {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  createdAt: Date;
  ports: TContainerPort[];
  labels: Record<string, string>;
};

const PROBE_TIMEOUT_MS = 5000;

const ZVersion = z.object({
  Version: z.string(),
  ApiVersion: z.string(),
  Os: z.string(),
  Arch: z.string(),
  KernelVersion: z.string().optional(),
});

const ZInfo = z.object({
  NCPU: z.number().int().nonnegative(),
  MemTotal: z.number().nonnegative(),
  Name: z.string(),
  ID: z.string(),
});

/** A dockerode client for one engine. Cheap; callers may cache it per node. */
export function engineClient(target: TEngineTarget, timeoutMs = PROBE_TIMEOUT_MS): Docker {
  const { endpoint } = target;
  if (endpoint.transport === "socket") {
    return new Docker({ socketPath: endpoint.socketPath, timeout: timeoutMs });
  }
  const host = endpoint.host.replace(/^\[|\]$/g, "");
  if (endpoint.transport === "tls") {
    return new Docker({
      host,
      port: endpoint.port,
      protocol: "https",
      ...target.tls,
      timeout: timeoutMs,
    });
  }

  return new Docker({ host, port: endpoint.port, protocol: "http", timeout: timeoutMs });
}

class TimeoutError extends Error {
  override name = "TimeoutError";
}

/** Rejects after `ms`, so a silent engine cannot hold a caller (dockerode's own timeout is idle-only). */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type TEngineFailure = Error & { code?: string; statusCode?: number; reason?: string };

const TLS_CODES = /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|EPROTO)/;

/** Turns a failure talking to an engine into a BerthError that says what to check. */
export function describeEngineError(error: unknown, target: TEngineTarget): BerthError {
  const where = formatEndpoint(target.endpoint);
  const options = { field: "endpoint", nodeId: target.nodeId, cause: error };
  const failure = error as TEngineFailure;
  const code = failure.code ?? "";
  if (error instanceof BerthError) {
    return error;
  }
  if (error instanceof TimeoutError || code === "ETIMEDOUT" || code === "ECONNABORTED") {
    return new BerthError(
      "NODE_TIMEOUT",
      `${where} did not answer in time. Check the address, that the engine runs, and that no ` +
        "firewall drops the traffic.",
      options,
    );
  }
  if (code === "ECONNREFUSED") {
    return new BerthError(
      "NODE_UNREACHABLE",
      `Nothing accepts connections at ${where}. Check that dockerd runs and listens there ` +
        "(its -H flags, or the socket path).",
      options,
    );
  }
  if (code === "ENOENT") {
    return new BerthError(
      "NODE_UNREACHABLE",
      `There is no socket at ${where}. Check that Docker is installed and running on this host.`,
      options,
    );
  }
  if (code === "EACCES") {
    return new BerthError(
      "NODE_UNREACHABLE",
      `Permission denied on ${where}. Run Berth as a user in the docker group, or as root.`,
      options,
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new BerthError(
      "NODE_UNREACHABLE",
      `The host of ${where} does not resolve. Check the name or use an IP address.`,
      options,
    );
  }
  if (TLS_CODES.test(code)) {
    return new BerthError(
      "NODE_TLS_FAILED",
      `TLS with ${where} failed (${code}). Check that the CA signed the engine's certificate ` +
        "and that the client certificate and key belong together.",
      options,
    );
  }
  if (failure.statusCode !== undefined || code.startsWith("HPE_") || code === "ECONNRESET") {
    return new BerthError(
      "NOT_A_DOCKER_ENGINE",
      `${where} answered, but not as a Docker engine` +
        (failure.statusCode ? ` (HTTP ${failure.statusCode})` : "") +
        ". Check the port: the Engine API listens on 2375 (or 2376 with TLS).",
      options,
    );
  }

  return new BerthError("ENGINE_ERROR", `${where} failed: ${failure.message}`, options);
}

async function call<T>(target: TEngineTarget, timeoutMs: number, work: () => Promise<T>) {
  try {
    return await withTimeout(work(), timeoutMs);
  } catch (error) {
    throw describeEngineError(error, target);
  }
}

/**
 * Connects to an engine and reads what Berth records about it. Refuses endpoints that are
 * unreachable, silent, or not Docker engines, with a message saying what to check.
 */
export async function probeEngine(
  target: TEngineTarget,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<TEngineInfo> {
  const docker = engineClient(target, timeoutMs);
  const [rawVersion, rawInfo] = await call(target, timeoutMs, () =>
    Promise.all([docker.version(), docker.info() as Promise<unknown>]),
  );
  const version = ZVersion.safeParse(rawVersion);
  const info = ZInfo.safeParse(rawInfo);
  if (!version.success || !info.success) {
    throw new BerthError(
      "NOT_A_DOCKER_ENGINE",
      `${formatEndpoint(target.endpoint)} answered, but not with the Docker Engine API. ` +
        "Check the port: the Engine API listens on 2375 (or 2376 with TLS).",
      { field: "endpoint", nodeId: target.nodeId },
    );
  }

  return {
    cpus: info.data.NCPU,
    memoryBytes: BigInt(Math.round(info.data.MemTotal)),
    engineVersion: version.data.Version,
    apiVersion: version.data.ApiVersion,
    os: version.data.Os,
    arch: version.data.Arch,
    kernelVersion: version.data.KernelVersion ?? "",
    engineName: info.data.Name,
    engineId: info.data.ID,
  };
}

/** A cheap liveness check (GET /_ping). */
export async function pingEngine(docker: Docker, target: TEngineTarget, timeoutMs: number) {
  await call(target, timeoutMs, () => docker.ping());
}

type TRawPort = { PrivatePort: number; PublicPort?: number; IP?: string; Type: string };

/** Every container on the engine, Berth's or not, running or not. */
export async function listContainers(
  docker: Docker,
  target: TEngineTarget,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<TContainerSummary[]> {
  const raw = await call(target, timeoutMs, () => docker.listContainers({ all: true }));

  return raw.map((container) => ({
    id: container.Id,
    name: (container.Names[0] ?? container.Id.slice(0, 12)).replace(/^\//, ""),
    image: container.Image,
    state: container.State,
    status: container.Status,
    createdAt: new Date(container.Created * 1000),
    ports: (container.Ports as TRawPort[]).map((port) => ({
      privatePort: port.PrivatePort,
      publicPort: port.PublicPort,
      ip: port.IP,
      type: port.Type,
    })),
    labels: container.Labels ?? {},
  }));
}
