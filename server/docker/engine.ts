/**
 * The only module that talks to Docker engines. Engine API failures leave here as BerthErrors
 * that name the node or endpoint and say what to check.
 */
import { Readable } from "node:stream";

import Docker from "dockerode";
import { z } from "zod";

import { BerthError } from "@/server/errors";

import { type TEndpoint, formatEndpoint } from "./endpoint";
import type { TPullMessage } from "./pull-progress";

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

/**
 * Rejects after `ms`, so a silent engine cannot hold a caller (dockerode's own timeout only
 * measures idle time).
 */
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

const ZImageSummary = z.object({
  Id: z.string(),
  RepoTags: z.array(z.string()).nullish(),
  RepoDigests: z.array(z.string()).nullish(),
});

/**
 * Every reference the engine's images answer to: repo tags (`nginx:1.27`), repo digests
 * (`nginx@sha256:…`) and image ids (`sha256:…`), `<none>` placeholders included as listed.
 */
export async function listImageReferences(
  docker: Docker,
  target: TEngineTarget,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<string[]> {
  const raw = await call(target, timeoutMs, () => docker.listImages() as Promise<unknown>);
  const images = z.array(ZImageSummary).safeParse(raw);
  if (!images.success) {
    throw new BerthError(
      "ENGINE_ERROR",
      `${formatEndpoint(target.endpoint)} listed its images in a form Berth does not read.`,
      { nodeId: target.nodeId },
    );
  }

  return images.data.flatMap((image) => [
    ...(image.RepoTags ?? []),
    ...(image.RepoDigests ?? []),
    image.Id,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Replica containers: listing by label, image checks, create, start, stop and remove
// ---------------------------------------------------------------------------------------------

/** How long one container operation (create, start, inspect, remove) may take. */
const CONTAINER_TIMEOUT_MS = 15_000;
/** Seconds Docker waits after SIGTERM before it kills a stopping replica. */
const STOP_GRACE_S = 2;

/** A Berth container as the reconciler reads it from an engine. */
export type TBerthContainer = {
  id: string;
  name: string;
  /** `created`, `running`, `exited`, `dead`... as the engine reports it. */
  state: string;
  status: string;
  labels: Record<string, string>;
  ports: TPublishedPort[];
};

/** One published port, as the engine assigned it. */
export type TPublishedPort = {
  containerPort: number;
  protocol: string;
  hostIp: string;
  hostPort: number;
};

/** What Berth asks of an engine to run one replica; argv arrays only, never a shell. */
export type TReplicaContainerSpec = {
  name: string;
  image: string;
  /** Replaces the image's ENTRYPOINT when non-empty. */
  command: string[];
  /** Replaces the image's CMD when non-empty. */
  args: string[];
  env: string[];
  labels: Record<string, string>;
  /** Relative CPU weight while CPUs are contended (1024 is one CPU's worth). */
  cpuShares?: number;
  nanoCpus?: number;
  memoryBytes?: number;
  ports: { containerPort: number; protocol: string; hostIp: string; hostPort?: number }[];
  /** Named volumes (created by the engine on first use) and host directories. */
  mounts?: { type: "volume" | "bind"; source: string; target: string; readOnly: boolean }[];
};

type TApiFailure = Error & { statusCode?: number; json?: { message?: string } | null };

function statusOf(error: unknown): number | undefined {
  return (error as TApiFailure).statusCode;
}

/**
 * An engine that answered with an API error (a refused create, a port taken) is a Docker
 * engine: say what it said, not that it is something else.
 */
function describeApiError(error: unknown, target: TEngineTarget, what: string): BerthError {
  const failure = error as TApiFailure;
  if (failure.statusCode === undefined || failure.statusCode < 400) {
    return describeEngineError(error, target);
  }
  const said = failure.json?.message ?? failure.message;

  return new BerthError("ENGINE_ERROR", `${formatEndpoint(target.endpoint)} ${what}: ${said}`, {
    nodeId: target.nodeId,
    cause: error,
  });
}

async function apiCall<T>(target: TEngineTarget, what: string, work: () => Promise<T>) {
  try {
    return await withTimeout(work(), CONTAINER_TIMEOUT_MS);
  } catch (error) {
    throw describeApiError(error, target, what);
  }
}

type TRawSummaryPort = { PrivatePort: number; PublicPort?: number; IP?: string; Type: string };

function publishedOf(ports: TRawSummaryPort[]): TPublishedPort[] {
  return ports.flatMap((port) =>
    port.PublicPort === undefined
      ? []
      : [
          {
            containerPort: port.PrivatePort,
            protocol: port.Type,
            hostIp: port.IP ?? "",
            hostPort: port.PublicPort,
          },
        ],
  );
}

/** Containers on the engine that carry `label` (any value), running or not. */
export async function listLabelledContainers(
  docker: Docker,
  target: TEngineTarget,
  label: string,
): Promise<TBerthContainer[]> {
  const raw = await apiCall(target, "refused to list containers", () =>
    docker.listContainers({ all: true, filters: { label: [label] } }),
  );

  return raw.map((container) => ({
    id: container.Id,
    name: (container.Names[0] ?? container.Id.slice(0, 12)).replace(/^\//, ""),
    state: container.State,
    status: container.Status,
    labels: container.Labels ?? {},
    ports: publishedOf(container.Ports as TRawSummaryPort[]),
  }));
}

/** Whether the engine holds the image reference. */
export async function hasImage(docker: Docker, target: TEngineTarget, image: string) {
  return apiCall(target, `refused to inspect image ${image}`, async () => {
    try {
      await docker.getImage(image).inspect();

      return true;
    } catch (error) {
      if (statusOf(error) === 404) {
        return false;
      }
      throw error;
    }
  });
}

/** Pulls an image, failing after `timeoutMs` (an unreachable registry may hang). */
export async function pullImage(
  docker: Docker,
  target: TEngineTarget,
  image: string,
  timeoutMs: number,
  onProgress?: (message: TPullMessage) => void,
): Promise<void> {
  const pull = async () => {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (message: TPullMessage) => onProgress?.(message),
      );
    });
  };
  try {
    await withTimeout(pull(), timeoutMs);
  } catch (error) {
    throw describeApiError(error, target, `could not pull ${image}`);
  }
}

type TRawInspect = {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; ExitCode: number; Error?: string };
  NetworkSettings: {
    Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
  };
};

/** A container as inspect shows it; null when the engine has no such container. */
export type TContainerDetails = {
  id: string;
  name: string;
  state: string;
  isRunning: boolean;
  exitCode: number;
  error: string;
  ports: TPublishedPort[];
};

function portsOfInspect(raw: TRawInspect): TPublishedPort[] {
  return Object.entries(raw.NetworkSettings.Ports ?? {}).flatMap(([key, bindings]) => {
    const [port = "0", protocol = "tcp"] = key.split("/");

    return (bindings ?? []).map((binding) => ({
      containerPort: Number(port),
      protocol,
      hostIp: binding.HostIp,
      hostPort: Number(binding.HostPort),
    }));
  });
}

/** Inspects a container by id or name. */
export async function inspectContainer(
  docker: Docker,
  target: TEngineTarget,
  idOrName: string,
): Promise<TContainerDetails | null> {
  const raw = await apiCall(target, `refused to inspect container ${idOrName}`, async () => {
    try {
      return await docker.getContainer(idOrName).inspect();
    } catch (error) {
      if (statusOf(error) === 404) {
        return null;
      }
      throw error;
    }
  });
  if (!raw) {
    return null;
  }

  return {
    id: raw.Id,
    name: raw.Name.replace(/^\//, ""),
    state: raw.State.Status,
    isRunning: raw.State.Running,
    exitCode: raw.State.ExitCode,
    error: raw.State.Error ?? "",
    ports: portsOfInspect(raw),
  };
}

function createOptionsOf(spec: TReplicaContainerSpec): Docker.ContainerCreateOptions {
  const exposed = Object.fromEntries(
    spec.ports.map((port) => [`${port.containerPort}/${port.protocol}`, {}]),
  );
  const bindings = Object.fromEntries(
    spec.ports.map((port) => [
      `${port.containerPort}/${port.protocol}`,
      // An empty HostPort asks the engine for an ephemeral port, read back by inspect.
      [{ HostIp: port.hostIp, HostPort: port.hostPort === undefined ? "" : String(port.hostPort) }],
    ]),
  );

  return {
    name: spec.name,
    Image: spec.image,
    ...(spec.command.length > 0 ? { Entrypoint: spec.command } : {}),
    ...(spec.args.length > 0 ? { Cmd: spec.args } : {}),
    Env: spec.env,
    Labels: spec.labels,
    ExposedPorts: exposed,
    HostConfig: {
      PortBindings: bindings,
      // Berth restarts and replaces replicas itself; the engine must not race it.
      RestartPolicy: { Name: "no" },
      Mounts: (spec.mounts ?? []).map((mount) => ({
        Type: mount.type,
        Source: mount.source,
        Target: mount.target,
        ReadOnly: mount.readOnly,
      })),
      ...(spec.cpuShares === undefined ? {} : { CpuShares: spec.cpuShares }),
      ...(spec.nanoCpus === undefined ? {} : { NanoCpus: spec.nanoCpus }),
      ...(spec.memoryBytes === undefined ? {} : { Memory: spec.memoryBytes }),
    },
  };
}

/**
 * Creates the container unless one of that name exists already, and returns its id. The name
 * is derived from the replica id, so a retry after a crash finds the first attempt's container.
 */
export async function createReplicaContainer(
  docker: Docker,
  target: TEngineTarget,
  spec: TReplicaContainerSpec,
): Promise<string> {
  const existing = await inspectContainer(docker, target, spec.name);
  if (existing) {
    return existing.id;
  }
  try {
    const created = await withTimeout(
      docker.createContainer(createOptionsOf(spec)),
      CONTAINER_TIMEOUT_MS,
    );

    return created.id;
  } catch (error) {
    // 409: another attempt made it between the inspect and the create.
    const raced =
      statusOf(error) === 409 ? await inspectContainer(docker, target, spec.name) : null;
    if (raced) {
      return raced.id;
    }
    throw describeApiError(error, target, `refused to create container ${spec.name}`);
  }
}

/** Starts a container; starting a running one is a no-op (HTTP 304). */
export async function startContainer(docker: Docker, target: TEngineTarget, id: string) {
  await apiCall(target, `refused to start container ${id.slice(0, 12)}`, async () => {
    try {
      await docker.getContainer(id).start();
    } catch (error) {
      if (statusOf(error) !== 304) {
        throw error;
      }
    }
  });
}

/** Stops (SIGTERM, then SIGKILL after a grace period) and removes a container; gone is fine. */
export async function removeContainer(docker: Docker, target: TEngineTarget, id: string) {
  const container = docker.getContainer(id);
  await apiCall(target, `refused to remove container ${id.slice(0, 12)}`, async () => {
    try {
      await container.stop({ t: STOP_GRACE_S });
    } catch (error) {
      // 304: already stopped; 404: already gone.
      if (statusOf(error) !== 304 && statusOf(error) !== 404) {
        throw error;
      }
    }
    try {
      await container.remove({ force: true, v: true });
    } catch (error) {
      // 409: a removal is already in progress.
      if (statusOf(error) !== 404 && statusOf(error) !== 409) {
        throw error;
      }
    }
  });
}

/** Stops a container (SIGTERM, then SIGKILL after the grace period) and keeps it. */
export async function stopContainer(docker: Docker, target: TEngineTarget, id: string) {
  await apiCall(target, `refused to stop container ${id.slice(0, 12)}`, async () => {
    try {
      await docker.getContainer(id).stop({ t: STOP_GRACE_S });
    } catch (error) {
      // 304: already stopped; 404: gone, which stops it too.
      if (statusOf(error) !== 304 && statusOf(error) !== 404) {
        throw error;
      }
    }
  });
}

/** What a command run in a container said: its exit code and the start of its output. */
export type TExecResult = { exitCode: number | null; output: string };

const EXEC_OUTPUT_MAX_BYTES = 4096;

/**
 * Runs an argv command in a running container (never through a shell) and waits for it, up
 * to timeoutMs; a command still running then counts as failed with a null exit code.
 */
export async function execInContainer(
  docker: Docker,
  target: TEngineTarget,
  id: string,
  argv: string[],
  timeoutMs: number,
): Promise<TExecResult> {
  const exec = await apiCall(target, `refused to run a command in ${id.slice(0, 12)}`, () =>
    docker.getContainer(id).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true }),
  );
  const stream = await apiCall(target, `refused to run a command in ${id.slice(0, 12)}`, () =>
    exec.start({ hijack: true, stdin: false }),
  );
  const chunks: Buffer[] = [];
  let size = 0;
  const finished = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    stream.on("data", (chunk: Buffer) => {
      if (size < EXEC_OUTPUT_MAX_BYTES) {
        chunks.push(chunk);
        size += chunk.length;
      }
    });
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.on("end", done);
    stream.on("close", done);
    stream.on("error", done);
  });
  const hasFinished = await finished;
  stream.destroy();
  const output = demuxedText(Buffer.concat(chunks)).slice(0, EXEC_OUTPUT_MAX_BYTES);
  if (!hasFinished) {
    return { exitCode: null, output: `timed out after ${timeoutMs} ms. ${output}`.trim() };
  }
  const inspected = await apiCall(
    target,
    `refused to inspect a command in ${id.slice(0, 12)}`,
    () => exec.inspect(),
  );

  return { exitCode: inspected.ExitCode ?? null, output };
}

/**
 * The text of a multiplexed exec stream: each frame is an 8-byte header (stream type, three
 * zero bytes, big-endian length) and its payload.
 */
export function demuxedText(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const length = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, Math.min(offset + 8 + length, raw.length)));
    offset += 8 + length;
  }

  return Buffer.concat(parts).toString("utf8");
}

/**
 * One stats reading of a container without waiting for a second one (`one-shot`, Engine API
 * 1.41+): its `precpu_stats` are empty, so CPU needs the caller's previous reading. Gives the
 * engine's JSON as it came; `signal` bounds the wait.
 */
export async function readContainerStats(
  docker: Docker,
  target: TEngineTarget,
  id: string,
  signal: AbortSignal,
): Promise<unknown> {
  const options = { stream: false, "one-shot": true, abortSignal: signal };

  return apiCall(target, `stats of ${id.slice(0, 12)}`, () =>
    docker.getContainer(id).stats(options as { stream: false }),
  );
}

/**
 * The engine's stats stream of a container: one JSON reading a second, each with the previous
 * one's CPU counters (`precpu_stats`). Ends when the container stops or `signal` aborts.
 */
export async function streamContainerStats(
  docker: Docker,
  target: TEngineTarget,
  id: string,
  signal: AbortSignal,
): Promise<NodeJS.ReadableStream> {
  const options = { stream: true, abortSignal: signal };

  return apiCall(target, `stats stream of ${id.slice(0, 12)}`, () =>
    docker.getContainer(id).stats(options as { stream: true }),
  );
}

// ---------------------------------------------------------------------------------------------
// Container logs: follow streams and tails (multiplexed frames; see demuxedText)
// ---------------------------------------------------------------------------------------------

/** What to read of a container's log; timestamps are always on, stdout and stderr both. */
export type TLogStreamOptions = {
  /** Keep the stream open and deliver new lines as they are written. */
  isFollow: boolean;
  /** Only lines at or after this time: Unix seconds with a fraction, e.g. "1700000000.5". */
  since?: string;
  /** Only the last n lines written before the call. */
  tail?: number;
  signal?: AbortSignal;
};

/**
 * Opens a container's log as a raw stream of multiplexed frames (8-byte header, payload; each
 * line prefixed by its RFC 3339 timestamp). Resolves once the engine answered; the stream
 * ends when the container stops (follow) or its log was read (no follow).
 */
export async function openContainerLog(
  docker: Docker,
  target: TEngineTarget,
  id: string,
  options: TLogStreamOptions,
): Promise<NodeJS.ReadableStream> {
  const query = {
    stdout: true,
    stderr: true,
    timestamps: true,
    abortSignal: options.signal,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.tail === undefined ? {} : { tail: options.tail }),
  };
  const container = docker.getContainer(id);
  const what = `refused the log of container ${id.slice(0, 12)}`;
  if (options.isFollow) {
    return apiCall(target, what, () => container.logs({ ...query, follow: true }));
  }
  const raw = await apiCall(target, what, () => container.logs({ ...query, follow: false }));

  return Readable.from([raw]);
}

/** Whether an engine failure says the container does not exist (any more). */
export function isNoSuchContainer(error: unknown): boolean {
  const cause = error instanceof BerthError ? error.cause : error;

  return statusOf(cause) === 404;
}
