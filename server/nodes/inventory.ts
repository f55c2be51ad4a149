/**
 * A node's inventory: the images its engine holds and the host ports that containers Berth
 * does not own publish on it. The scheduler needs both. With pulling off, a node without the
 * image cannot start the replica; a port another program holds cannot be published again.
 *
 * Read when a node is added, when it comes back, and every inventory interval by the leading
 * controller; the scheduler's snapshot reads the stored copy, so placement never waits on an
 * engine.
 */
import type Docker from "dockerode";
import { z } from "zod";

import type { Node, PrismaClient } from "@/server/db/generated/client";
import {
  type TContainerSummary,
  type TEngineTarget,
  engineClient,
  listContainers,
  listImageReferences,
} from "@/server/docker/engine";
import { LABEL_INSTALLATION } from "@/server/docker/labels";

export const ZForeignHostPort = z.object({
  protocol: z.enum(["tcp", "udp"]),
  port: z.number().int().min(1).max(65_535),
  /** The address the port is bound on; `0.0.0.0` or `::` for every address. */
  hostIp: z.string(),
  /** The container's name, so a person can find what holds the port. */
  container: z.string(),
});

export type TForeignHostPort = z.infer<typeof ZForeignHostPort>;

export type TNodeInventory = { images: string[]; foreignHostPorts: TForeignHostPort[] };

const ZStoredForeignPorts = z.array(ZForeignHostPort).catch([]);

const WILDCARD_ADDRESSES = new Set(["", "0.0.0.0", "::"]);

/** Docker's placeholders for untagged images; they name nothing a spec could ask for. */
function isPlaceholder(reference: string): boolean {
  return reference.startsWith("<none>");
}

/**
 * The inventory from an engine's image references and container list. A container is
 * Berth's when it carries this installation's label; any other (another Berth's included)
 * holds its ports. Only published ports count: the engine lists a host port for a container
 * only while it holds one.
 */
export function inventoryOf(
  references: readonly string[],
  containers: readonly TContainerSummary[],
  installationId: string,
): TNodeInventory {
  const images = [...new Set(references.filter((ref) => ref !== "" && !isPlaceholder(ref)))];
  const seen = new Set<string>();
  const foreignHostPorts: TForeignHostPort[] = [];
  for (const container of containers) {
    if (container.labels[LABEL_INSTALLATION] === installationId) {
      continue;
    }
    for (const port of container.ports) {
      const parsed = ZForeignHostPort.safeParse({
        protocol: port.type,
        port: port.publicPort,
        hostIp: port.ip ?? "",
        container: container.name,
      });
      const key = parsed.success ? `${parsed.data.protocol}|${parsed.data.port}|${port.ip}` : "";
      if (parsed.success && !seen.has(key)) {
        seen.add(key);
        foreignHostPorts.push(parsed.data);
      }
    }
  }
  images.sort();
  foreignHostPorts.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));

  return { images, foreignHostPorts };
}

/**
 * Ports foreign containers hold where Berth would publish on this node: bound on every
 * address, or on the node's advertise address (Berth publishes there). A port bound on
 * another of the host's addresses does not conflict.
 */
export function foreignPortsAt(
  advertiseAddress: string,
  stored: unknown,
): Record<"tcp" | "udp", number[]> {
  const ports = { tcp: new Set<number>(), udp: new Set<number>() };
  const isWildcardNode = WILDCARD_ADDRESSES.has(advertiseAddress);
  for (const port of ZStoredForeignPorts.parse(stored)) {
    if (isWildcardNode || WILDCARD_ADDRESSES.has(port.hostIp) || port.hostIp === advertiseAddress) {
      ports[port.protocol].add(port.port);
    }
  }

  return { tcp: [...ports.tcp], udp: [...ports.udp] };
}

/** Reads a node's inventory from its engine; throws a BerthError naming the node. */
export async function readInventory(
  target: TEngineTarget,
  installationId: string,
  docker: Docker = engineClient(target),
): Promise<TNodeInventory> {
  const [references, containers] = await Promise.all([
    listImageReferences(docker, target),
    listContainers(docker, target),
  ]);

  return inventoryOf(references, containers, installationId);
}

/** The columns a read inventory is stored in, stamped with when it was read. */
export function inventoryColumns(inventory: TNodeInventory, at = new Date()) {
  return {
    images: inventory.images,
    foreignHostPorts: inventory.foreignHostPorts,
    inventoryAt: at,
  } satisfies Partial<Node>;
}

/** Reads and stores one node's inventory. */
export async function refreshInventory(
  db: PrismaClient,
  node: Node,
  target: TEngineTarget,
  installationId: string,
  docker?: Docker,
): Promise<TNodeInventory> {
  const inventory = await readInventory(target, installationId, docker);
  await db.node.updateMany({ where: { id: node.id }, data: inventoryColumns(inventory) });

  return inventory;
}
