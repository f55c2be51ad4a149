/** Lab helpers shared by the integration tests that run replicas on the lab's engines. */
import { type TController, type TControllerOptions, startController } from "@/server/controller";
import type { PrismaClient } from "@/server/db/generated/client";
import {
  type TEngineTarget,
  engineClient,
  listLabelledContainers,
  removeContainer,
} from "@/server/docker/engine";
import { LABEL_APP } from "@/server/docker/labels";
import { logger } from "@/server/logger";

import { LAB_NODE_COUNT } from "./config";

export const LAB_TARGETS: TEngineTarget[] = Array.from({ length: LAB_NODE_COUNT }, (_, i) => ({
  endpoint: { transport: "tcp", host: `127.0.0.${i + 2}`, port: 2375 },
}));

/** Containers carrying `label` (or `label=value`) on every lab node. */
export async function labContainers(label: string) {
  const lists = await Promise.all(
    LAB_TARGETS.map(async (target) => {
      const containers = await listLabelledContainers(engineClient(target), target, label);

      return containers.map((container) => ({ ...container, target }));
    }),
  );

  return lists.flat();
}

/** Leaves the lab's engines without Berth app containers, whatever a test did. */
export async function removeAllBerthContainers(): Promise<void> {
  for (const container of await labContainers(LABEL_APP)) {
    await removeContainer(engineClient(container.target), container.target, container.id);
  }
}

/** Removes the named volumes Berth's apps made (`berth-<app>-<volume>`) on the lab's engines. */
export async function removeBerthVolumes(): Promise<void> {
  for (const target of LAB_TARGETS) {
    const docker = engineClient(target);
    const { Volumes } = await docker.listVolumes().catch(() => ({ Volumes: [] }));
    for (const volume of Volumes.filter((v) => v.Name.startsWith("berth-"))) {
      await docker
        .getVolume(volume.Name)
        .remove()
        .catch(() => undefined);
    }
  }
}

/** A controller with the production heartbeat settings and no image pulls (no registry). */
export function startTestController(
  db: PrismaClient,
  overrides: Partial<TControllerOptions> = {},
): TController {
  return startController({
    db,
    log: logger(),
    heartbeatIntervalMs: 1000,
    nodeTimeoutMs: 3000,
    canPullImages: false,
    ...overrides,
  });
}
