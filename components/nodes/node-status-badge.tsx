import { Badge, type TTone } from "@/components/ui/badge";
import type { TNodeView } from "@/components/trpc/client";

type TNodeStatus = TNodeView["status"];

const STATUS_TONES: Record<TNodeStatus, TTone> = {
  ready: "ok",
  unreachable: "danger",
  cordoned: "warn",
  draining: "warn",
};

/** ready (green), unreachable (red), cordoned or draining (amber). Text is the bare status. */
export function NodeStatusBadge({ status }: { status: TNodeStatus }) {
  return (
    <Badge tone={STATUS_TONES[status]} hasDot data-testid="node-status">
      {status}
    </Badge>
  );
}
