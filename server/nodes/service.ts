/** Node management: add, read, label, cordon, drain and remove Docker engines. */
import { z } from "zod";

import type { TActor } from "@/server/auth/principal";
import { publishChange } from "@/server/bus";
import type { Node, NodeAvailability, PrismaClient } from "@/server/db/generated/client";
import { installationId } from "@/server/db/installation";
import {
  type TEndpoint,
  defaultAdvertiseAddress,
  parseEndpoint,
  formatEndpoint,
} from "@/server/docker/endpoint";
import {
  type TEngineTarget,
  engineClient,
  listContainers,
  probeEngine,
} from "@/server/docker/engine";
import { isBerthContainer } from "@/server/docker/labels";
import { BerthError } from "@/server/errors";
import { announceEvent, recordEvent } from "@/server/events/service";
import { open, seal, secretKey } from "@/server/security/secrets";

import { inventoryColumns, readInventory } from "./inventory";
import type { TNodeCreate, TNodeStatus, TNodeView } from "./schema";

/** What users see as a node's status: health first, then what the operator set. */
export function nodeStatus(node: Pick<Node, "health" | "availability">): TNodeStatus {
  if (node.health === "unreachable") {
    return "unreachable";
  }

  return node.availability === "active" ? "ready" : node.availability;
}

const ZStoredLabels = z.record(z.string(), z.string());

export function toNodeView(node: Node): TNodeView {
  return {
    id: node.id,
    name: node.name,
    status: nodeStatus(node),
    health: node.health,
    availability: node.availability,
    transport: node.transport,
    endpoint: node.endpoint,
    advertiseAddress: node.advertiseAddress,
    hasTls: node.tlsKeySealed !== null,
    labels: ZStoredLabels.catch({}).parse(node.labels),
    cpus: node.cpus,
    memoryBytes: Number(node.memoryBytes),
    engineVersion: node.engineVersion,
    apiVersion: node.apiVersion,
    os: node.os,
    arch: node.arch,
    kernelVersion: node.kernelVersion,
    engineName: node.engineName,
    lastHeartbeatAt: node.lastHeartbeatAt,
    lastError: node.lastError,
    createdAt: node.createdAt,
  };
}

function storedEndpoint(node: Node): TEndpoint {
  const parsed = parseEndpoint(node.endpoint, node.transport === "tls");
  if (!parsed.ok) {
    throw new BerthError("INTERNAL", `node ${node.name} has a bad stored endpoint`, {
      nodeId: node.id,
    });
  }

  return parsed.endpoint;
}

/** How to reach a registered node's engine; opens its sealed TLS key. */
export function engineTargetOf(node: Node): TEngineTarget {
  const endpoint = storedEndpoint(node);
  if (node.transport !== "tls" || !node.tlsCa || !node.tlsCert || !node.tlsKeySealed) {
    return { endpoint, nodeId: node.id };
  }
  const tls = { ca: node.tlsCa, cert: node.tlsCert, key: open(node.tlsKeySealed, secretKey()) };

  return { endpoint, tls, nodeId: node.id };
}

async function requireNode(db: PrismaClient, id: string): Promise<Node> {
  const node = await db.node.findUnique({ where: { id } });
  if (!node) {
    throw new BerthError("NOT_FOUND", "No node with this id. It may have been removed.");
  }

  return node;
}

async function announceNode(nodeId: string, eventId: bigint): Promise<void> {
  await publishChange({ topic: "node", nodeId });
  await announceEvent(eventId);
}

export async function listNodes(db: PrismaClient): Promise<TNodeView[]> {
  const nodes = await db.node.findMany({ orderBy: { name: "asc" } });

  return nodes.map(toNodeView);
}

/** A node with every container on it, Berth's or not, read live from its engine. */
export async function getNodeDetail(db: PrismaClient, id: string) {
  const node = await requireNode(db, id);
  const target = engineTargetOf(node);
  try {
    const containers = await listContainers(engineClient(target), target);

    return {
      node: toNodeView(node),
      containers: containers.map((container) => ({
        ...container,
        isBerth: isBerthContainer(container.labels),
      })),
      containersError: null,
    };
  } catch (error) {
    const message = error instanceof BerthError ? error.message : String(error);

    return { node: toNodeView(node), containers: [], containersError: message };
  }
}

/**
 * Registers a node after reading its engine's info. Nothing is stored when the engine cannot be
 * reached or is not a Docker engine.
 */
export async function addNode(
  db: PrismaClient,
  input: TNodeCreate,
  actor: TActor,
): Promise<TNodeView> {
  const parsed = parseEndpoint(input.endpoint, input.tls !== undefined);
  if (!parsed.ok) {
    throw new BerthError("INVALID_INPUT", parsed.message, { field: "endpoint" });
  }
  const endpoint = parsed.endpoint;
  if (await db.node.findUnique({ where: { name: input.name } })) {
    throw new BerthError("CONFLICT", `A node named ${input.name} exists. Pick another name.`, {
      field: "name",
    });
  }
  // Engine ids are not proof of identity (cloned hosts share them), so the endpoint is.
  const twin = await db.node.findFirst({ where: { endpoint: formatEndpoint(endpoint) } });
  if (twin) {
    throw new BerthError(
      "CONFLICT",
      `This endpoint is already registered as node ${twin.name}. Each engine can be added once.`,
      { field: "endpoint" },
    );
  }
  const info = await probeEngine({ endpoint, tls: input.tls });
  // Read now, so the scheduler knows the node's images from its first placement; if this
  // fails, the controller's inventory loop reads it soon after.
  const inventory = await readInventory({ endpoint, tls: input.tls }, await installationId(db))
    .then((read) => inventoryColumns(read))
    .catch(() => ({}));
  const { node, eventId } = await db
    .$transaction(async (tx) => {
      const node = await tx.node.create({
        data: {
          name: input.name,
          transport: endpoint.transport,
          endpoint: formatEndpoint(endpoint),
          advertiseAddress: input.advertiseAddress ?? defaultAdvertiseAddress(endpoint),
          tlsCa: input.tls?.ca,
          tlsCert: input.tls?.cert,
          tlsKeySealed: input.tls ? seal(input.tls.key, secretKey()) : undefined,
          labels: input.labels,
          ...info,
          ...inventory,
          lastHeartbeatAt: new Date(),
        },
      });
      const eventId = await recordEvent(tx, {
        kind: "node.added",
        message: `node ${node.name} added (${info.cpus} CPUs, engine ${info.engineVersion})`,
        actor,
        nodeId: node.id,
        data: { endpoint: node.endpoint },
      });

      return { node, eventId };
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error)
        ? new BerthError("CONFLICT", "Another node took this name or endpoint just now. Retry.", {
            field: "name",
          })
        : error;
    });
  await announceNode(node.id, eventId);

  return toNodeView(node);
}

/** Two concurrent adds of one name or endpoint: the database's unique index decides. */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002";
}

export async function updateNode(
  db: PrismaClient,
  input: { id: string; labels?: Record<string, string>; advertiseAddress?: string },
  actor: TActor,
): Promise<TNodeView> {
  const { node, eventId } = await db.$transaction(async (tx) => {
    const before = await tx.node.findUnique({ where: { id: input.id } });
    if (!before) {
      throw new BerthError("NOT_FOUND", "No node with this id. It may have been removed.");
    }
    const node = await tx.node.update({
      where: { id: input.id },
      data: { labels: input.labels, advertiseAddress: input.advertiseAddress },
    });
    const eventId = await recordEvent(tx, {
      kind: "node.updated",
      message: `node ${node.name} updated`,
      actor,
      nodeId: node.id,
      data: { labels: input.labels ?? null, advertiseAddress: input.advertiseAddress ?? null },
    });

    return { node, eventId };
  });
  await announceNode(node.id, eventId);

  return toNodeView(node);
}

const AVAILABILITY_VERB: Record<NodeAvailability, string> = {
  active: "uncordoned",
  cordoned: "cordoned",
  draining: "set to drain",
};

/** Cordon (no new replicas), drain (move replicas away) or uncordon a node. */
export async function setNodeAvailability(
  db: PrismaClient,
  id: string,
  availability: NodeAvailability,
  actor: TActor,
): Promise<TNodeView> {
  const before = await requireNode(db, id);
  if (before.availability === availability) {
    return toNodeView(before);
  }
  const { node, eventId } = await db.$transaction(async (tx) => {
    const node = await tx.node.update({ where: { id }, data: { availability } });
    const eventId = await recordEvent(tx, {
      kind: `node.${availability === "active" ? "uncordoned" : availability}`,
      message: `node ${node.name} ${AVAILABILITY_VERB[availability]}`,
      actor,
      nodeId: id,
      data: { from: before.availability, to: availability },
    });

    return { node, eventId };
  });
  await announceNode(id, eventId);

  return toNodeView(node);
}

/** Replica states that hold a node: the replica runs there or is about to. */
const ACTIVE_REPLICA_STATES = ["placed", "starting", "running", "stopping"] as const;

/**
 * Berth replicas on a node: the database's rows, and (when the node answers) running
 * containers with Berth's labels, which catches replicas of a controller not yet recorded.
 */
async function countReplicasOn(db: PrismaClient, node: Node): Promise<number> {
  const rows = await db.replica.count({
    where: { nodeId: node.id, state: { in: [...ACTIVE_REPLICA_STATES] } },
  });
  if (rows > 0 || node.health !== "ready") {
    return rows;
  }
  const target = engineTargetOf(node);
  const containers = await listContainers(engineClient(target), target).catch(() => []);

  return containers.filter(
    (container) => isBerthContainer(container.labels) && container.state === "running",
  ).length;
}

/** Removes a node from Berth; refused while Berth replicas run on it. */
export async function removeNode(db: PrismaClient, id: string, actor: TActor): Promise<void> {
  const node = await requireNode(db, id);
  const replicas = await countReplicasOn(db, node);
  if (replicas > 0) {
    throw new BerthError(
      "CONFLICT",
      `${replicas} Berth replica(s) still run on ${node.name}. Scale their apps down or ` +
        "move them away first.",
      { nodeId: id },
    );
  }
  const eventId = await db.$transaction(async (tx) => {
    await tx.node.delete({ where: { id } });

    return recordEvent(tx, {
      kind: "node.removed",
      message: `node ${node.name} removed`,
      actor,
      data: { nodeId: id, name: node.name, endpoint: node.endpoint },
    });
  });
  await announceNode(id, eventId);
}
