/**
 * The inventory loop: while the controller leads, reads every ready node's images and the
 * host ports foreign containers hold there, every INVENTORY_INTERVAL_MS, and at once for a
 * node that changed and is ready (added elsewhere, or back from being unreachable).
 */
import type Docker from "dockerode";
import type { Logger } from "pino";

import { subscribeChanges } from "@/server/bus";
import type { Node, PrismaClient } from "@/server/db/generated/client";
import { type TEngineTarget, engineClient } from "@/server/docker/engine";
import { refreshInventory } from "@/server/nodes/inventory";
import { engineTargetOf } from "@/server/nodes/service";

import { IntervalLoop } from "./interval-loop";

/** Images and foreign ports change rarely; a stale read costs one failed start, not a wrong one. */
export const INVENTORY_INTERVAL_MS = 10_000;
const INVENTORY_TIMEOUT_MS = 5000;

export type TInventoryLoopOptions = {
  db: PrismaClient;
  log: Logger;
  installationId: string;
  intervalMs?: number;
};

type TEngine = { signature: string; target: TEngineTarget; docker: Docker };

/** What a node's engine client is built from; a change of any of it needs a new client. */
function signatureOf(node: Node): string {
  return [node.endpoint, node.transport, node.tlsCert ?? "", node.tlsKeySealed ?? ""].join("|");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class InventoryLoop {
  private readonly log: Logger;
  private readonly loop: IntervalLoop;
  private readonly abort = new AbortController();
  private readonly engines = new Map<string, TEngine>();
  /** Nodes being read now, so a change during a pass does not read one twice at once. */
  private readonly reading = new Map<string, Promise<void>>();

  constructor(private readonly options: TInventoryLoopOptions) {
    this.log = options.log.child({ loop: "inventory" });
    this.loop = new IntervalLoop({
      intervalMs: options.intervalMs ?? INVENTORY_INTERVAL_MS,
      pass: () => this.pass(),
      onError: (error) => this.log.warn({ err: error }, "inventory pass failed"),
    });
  }

  start(): void {
    this.loop.start();
    void this.followChanges();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop.stop();
    await Promise.all(this.reading.values());
  }

  /** Reads every ready node, each on its own: one slow engine holds up only itself. */
  async pass(): Promise<void> {
    const nodes = await this.options.db.node.findMany({ where: { health: "ready" } });
    await Promise.all(nodes.map((node) => this.read(node)));
  }

  private async followChanges(): Promise<void> {
    try {
      for await (const change of subscribeChanges(this.abort.signal)) {
        if (change.topic === "node" && !this.loop.isStopped) {
          void this.readById(change.nodeId);
        }
      }
    } catch (error) {
      if (!this.abort.signal.aborted) {
        this.log.warn({ err: error }, "inventory stopped following changes");
      }
    }
  }

  private async readById(nodeId: string): Promise<void> {
    const node = await this.options.db.node.findUnique({ where: { id: nodeId } }).catch(() => null);
    if (node?.health === "ready") {
      await this.read(node);
    }
  }

  private read(node: Node): Promise<void> {
    const inFlight = this.reading.get(node.id);
    if (inFlight) {
      return inFlight;
    }
    const reading = this.readNode(node).finally(() => this.reading.delete(node.id));
    this.reading.set(node.id, reading);

    return reading;
  }

  private async readNode(node: Node): Promise<void> {
    try {
      const engine = this.engineOf(node);
      const inventory = await refreshInventory(
        this.options.db,
        node,
        engine.target,
        this.options.installationId,
        engine.docker,
      );
      this.log.debug(
        {
          nodeId: node.id,
          images: inventory.images.length,
          foreignPorts: inventory.foreignHostPorts.length,
        },
        "inventory read",
      );
    } catch (error) {
      // The node monitor reports an engine that stopped answering; one line here is enough.
      this.log.warn({ nodeId: node.id, error: messageOf(error) }, "could not read inventory");
    }
  }

  /** One client per node, rebuilt when its address or TLS material changes. */
  private engineOf(node: Node): TEngine {
    const signature = signatureOf(node);
    const cached = this.engines.get(node.id);
    if (cached && cached.signature === signature) {
      return cached;
    }
    const target = engineTargetOf(node);
    const engine = {
      signature,
      target,
      docker: engineClient(target, INVENTORY_TIMEOUT_MS),
    };
    this.engines.set(node.id, engine);

    return engine;
  }
}
