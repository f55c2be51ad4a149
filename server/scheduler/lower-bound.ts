/**
 * The fewest nodes any placement could use, ignoring every rule but capacity: no packing can
 * beat it, so "nodes used / lower bound" measures how much a packing wastes.
 */

/** The fewest of `capacities` (largest first) whose sum reaches `total`. */
function fewestToCover(capacities: readonly number[], total: number): number {
  const sorted = [...capacities].sort((a, b) => b - a);
  let sum = 0;
  let count = 0;
  for (const capacity of sorted) {
    if (sum >= total) {
      break;
    }
    sum += capacity;
    count++;
  }

  return sum >= total ? count : Number.POSITIVE_INFINITY;
}

export type TResourceTotals = { cpuMillis: number; memoryBytes: number };

/**
 * max over resources of the fewest nodes whose capacity covers the total request. With
 * identical nodes this is max(ceil(total CPU / node CPU), ceil(total memory / node memory)).
 * Infinity when even every node together is too small.
 */
export function nodesLowerBound(
  nodes: readonly TResourceTotals[],
  requests: readonly TResourceTotals[],
): number {
  const cpu = requests.reduce((sum, request) => sum + request.cpuMillis, 0);
  const memory = requests.reduce((sum, request) => sum + request.memoryBytes, 0);

  return Math.max(
    fewestToCover(
      nodes.map((node) => node.cpuMillis),
      cpu,
    ),
    fewestToCover(
      nodes.map((node) => node.memoryBytes),
      memory,
    ),
  );
}
