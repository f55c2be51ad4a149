/** Lab helpers shared by the integration tests that run replicas on the lab's engines. */
import type { TAppSpec } from "@/server/apps/spec";
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

import { LAB_NODE_COUNT, labEndpoint } from "./config";
import { callerFor, createPrincipal, waitFor } from "./harness";

export const LAB_TARGETS: TEngineTarget[] = Array.from({ length: LAB_NODE_COUNT }, (_, i) => ({
  endpoint: { transport: "tcp", host: `127.0.0.${i + 2}`, port: 2375 },
}));

export type TTestAppSpec = Partial<TAppSpec> & { name: string; image: string };

/**
 * `replicas` of berth-demo/web:1 spread over the lab, publishing 8080, with the health check
 * the lab tests use: GET /health on 8080 every second, out after two failures.
 */
export function demoWebSpec(name: string, replicas: number) {
  return {
    name,
    image: "berth-demo/web:1",
    replicas,
    ports: [{ containerPort: 8080, protocol: "tcp" }],
    placement: { strategy: "spread", constraints: [], antiAffinity: [] },
    healthCheck: {
      type: "http",
      path: "/health",
      port: 8080,
      intervalMs: 1000,
      timeoutMs: 500,
      retries: 2,
      startPeriodMs: 0,
    },
  } satisfies TTestAppSpec;
}

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

function labTarget(k: number): TEngineTarget {
  const target = LAB_TARGETS[k - 1];
  if (!target) {
    throw new Error(`the lab has no node ${k}`);
  }

  return target;
}

/** Gives lab node `k`'s image `source` a second reference (`repo:tag`) on that node only. */
export async function tagLabImage(k: number, source: string, reference: string): Promise<void> {
  const colon = reference.lastIndexOf(":");
  const [repo, tag] = [reference.slice(0, colon), reference.slice(colon + 1)];
  await engineClient(labTarget(k)).getImage(source).tag({ repo, tag });
}

/** Removes a reference from lab node `k` (the image stays while another names it). */
export async function untagLabImage(k: number, reference: string): Promise<void> {
  await engineClient(labTarget(k))
    .getImage(reference)
    .remove()
    .catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 404) {
        throw error;
      }
    });
}

/**
 * Runs a container Berth does not own on lab node `k` (no Berth labels), publishing
 * `hostPort` on the node's address, as another program on the host would.
 */
export async function startForeignContainer(k: number, name: string, hostPort: number) {
  const target = labTarget(k);
  const host = "host" in target.endpoint ? target.endpoint.host : "127.0.0.1";
  await removeForeignContainer(k, name);
  const container = await engineClient(target).createContainer({
    name,
    Image: "berth-demo/web:1",
    ExposedPorts: { "8080/tcp": {} },
    HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: host, HostPort: String(hostPort) }] } },
  });
  await container.start();
}

export async function removeForeignContainer(k: number, name: string): Promise<void> {
  const target = labTarget(k);
  await removeContainer(engineClient(target), target, name);
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

export type TLabSetUp = { caller: ReturnType<typeof callerFor>; controller: TController };

/**
 * The start of most lab test files: no Berth containers left on the engines, an operator,
 * lab-1..3 added as nodes, and a controller that leads.
 */
export async function setUpLab(
  db: PrismaClient,
  overrides: Partial<TControllerOptions> = {},
): Promise<TLabSetUp> {
  await removeAllBerthContainers();
  const caller = callerFor(db, await createPrincipal(db, "operator"));
  for (const k of [1, 2, 3]) {
    await caller.node.create({ name: `lab-${k}`, endpoint: labEndpoint(k), labels: {} });
  }
  const controller = startTestController(db, overrides);
  await waitFor("controller leadership", () => (controller.isLeader() ? true : undefined));

  return { caller, controller };
}

/** The end of such a file: the controller stopped, the engines left clean, the db closed. */
export async function tearDownLab(db: PrismaClient, controller: TController): Promise<void> {
  await controller.stop();
  await removeAllBerthContainers();
  await db.$disconnect();
}
