/** What a replica's container is called and made of: pure, from the spec and the node. */
import type { TAppSpec } from "@/server/apps/spec";
import type { Node } from "@/server/db/generated/client";

/** `berth-<app>-<slot>-<first 8 of the replica id>`: readable, and unique per replica. */
export function containerNameOf(appName: string, slot: number, replicaId: string): string {
  return `berth-${appName}-${slot}-${replicaId.slice(0, 8)}`;
}

/** CPU shares of one whole CPU: the kernel's default weight for a container. */
const SHARES_PER_CPU = 1024;
/** The kernel's smallest CPU shares value. */
const MIN_CPU_SHARES = 2;

/**
 * A CPU request as CPU shares (a relative weight, used only while CPUs are contended): 1024
 * per whole CPU requested, so replicas get CPU in proportion to what they reserved.
 */
export function cpuSharesOf(cpuRequestMillis: number): number {
  return Math.max(MIN_CPU_SHARES, Math.round((cpuRequestMillis * SHARES_PER_CPU) / 1000));
}

/**
 * The container for a spec on a node: env and opened secrets as Env, limits as cgroup limits
 * and the CPU request as CPU shares (the request itself is the scheduler's reservation),
 * ports published on the node's own address.
 */
export function containerSpecOf(
  spec: TAppSpec,
  node: Pick<Node, "advertiseAddress">,
  appName: string = spec.name,
) {
  const env = Object.entries({ ...spec.env, ...spec.secrets }).map(([k, v]) => `${k}=${v}`);
  const { cpuRequestMillis, cpuLimitMillis, memoryLimitBytes } = spec.resources;

  return {
    image: spec.image,
    command: spec.command,
    args: spec.args,
    env,
    cpuShares: cpuSharesOf(cpuRequestMillis),
    nanoCpus: cpuLimitMillis === undefined ? undefined : cpuLimitMillis * 1_000_000,
    memoryBytes: memoryLimitBytes,
    ports: spec.ports.map((port) => ({
      containerPort: port.containerPort,
      protocol: port.protocol,
      hostIp: node.advertiseAddress,
      hostPort: port.hostPort,
    })),
    mounts: spec.volumes.map((volume) =>
      volume.kind === "bind"
        ? {
            type: "bind" as const,
            source: volume.hostPath,
            target: volume.mountPath,
            readOnly: volume.readOnly,
          }
        : {
            type: "volume" as const,
            source: volumeNameOf(appName, volume.name),
            target: volume.mountPath,
            readOnly: volume.readOnly,
          },
    ),
  };
}

/**
 * `berth-<app>-<volume>`: a named volume belongs to its app, so two apps that both call theirs
 * `data` never share one on a node.
 */
export function volumeNameOf(appName: string, volume: string): string {
  return `berth-${appName}-${volume}`;
}
