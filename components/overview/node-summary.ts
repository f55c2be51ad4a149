/** Overview numbers from the node list. Pure, tested in node-summary.test.ts. */

type TNodeLike = {
  status: "ready" | "unreachable" | "cordoned" | "draining";
  cpus: number;
  memoryBytes: number;
};

export type TNodeSummary = {
  counts: Record<TNodeLike["status"], number>;
  total: number;
  /** Capacity of ready nodes only: what new work can be placed on. */
  readyCpus: number;
  readyMemoryBytes: number;
};

export function summariseNodes(nodes: readonly TNodeLike[]): TNodeSummary {
  const counts = { ready: 0, unreachable: 0, cordoned: 0, draining: 0 };
  let readyCpus = 0;
  let readyMemoryBytes = 0;
  for (const node of nodes) {
    counts[node.status] += 1;
    if (node.status === "ready") {
      readyCpus += node.cpus;
      readyMemoryBytes += node.memoryBytes;
    }
  }

  return { counts, total: nodes.length, readyCpus, readyMemoryBytes };
}
