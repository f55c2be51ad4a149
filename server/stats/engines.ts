/** Engine clients per node for the stats code, made again only when a node's endpoint changes. */
import type Docker from "dockerode";

import type { Node } from "@/server/db/generated/client";
import { type TEngineTarget, engineClient } from "@/server/docker/engine";
import { engineTargetOf } from "@/server/nodes/service";

export type TStatsEngine = { endpoint: string; docker: Docker; target: TEngineTarget };

export class EngineCache {
  private readonly engines = new Map<string, TStatsEngine>();

  constructor(private readonly timeoutMs: number) {}

  of(node: Node): TStatsEngine {
    const cached = this.engines.get(node.id);
    if (cached?.endpoint === node.endpoint) {
      return cached;
    }
    const target = engineTargetOf(node);
    const engine = {
      endpoint: node.endpoint,
      docker: engineClient(target, this.timeoutMs),
      target,
    };
    this.engines.set(node.id, engine);

    return engine;
  }
}

/** Runs `work` on every item with at most `limit` at a time; failures are the caller's. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
