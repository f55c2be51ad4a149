/** What a replica's container is called and made of: pure, from the spec and the node. */
import type { TAppSpec } from "@/server/apps/spec";
import type { Node } from "@/server/db/generated/client";

/** `berth-<app>-<slot>-<first 8 of the replica id>`: readable, and unique per replica. */
export function containerNameOf(appName: string, slot: number, replicaId: string): string {
  return `berth-${appName}-${slot}-${replicaId.slice(0, 8)}`;
}

/**
 * The container for a spec on a node: env and opened secrets as Env, limits (not requests,
 * which are the scheduler's) as cgroup limits, ports published on the node's own address.
 */
export function containerSpecOf(
  spec: TAppSpec,
  node: Pick<Node, "advertiseAddress">,
  appName: string = spec.name,
) {
  const env = Object.entries({ ...spec.env, ...spec.secrets }).map(([k, v]) => `${k}=${v}`);
  const { cpuLimitMillis, memoryLimitBytes } = spec.resources;

  return {
    image: spec.image,
    command: spec.command,
    args: spec.args,
    env,
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
