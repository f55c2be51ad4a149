import { plural } from "@/components/format";
import type { TRouterOutputs } from "@/components/trpc/client";

export type TWhatIf = TRouterOutputs["app"]["whatIf"];

/** "3 replicas: 2 would move, 1 could not be placed", or that nothing runs on the node. */
export function whatIfSummary(result: Pick<TWhatIf, "displaced" | "moves" | "unplaced">): string {
  if (result.displaced === 0) {
    return "No Berth replica runs here: losing this node moves nothing.";
  }
  const parts = [`${result.moves.length} would move`];
  if (result.unplaced.length > 0) {
    parts.push(`${result.unplaced.length} could not be placed`);
  }

  return `${plural(result.displaced, "replica")}: ${parts.join(", ")}`;
}
