import { Badge, type TTone } from "@/components/ui/badge";
import type { TEventView } from "@/components/trpc/client";

const SEVERITY_TONES: Record<TEventView["severity"], TTone> = {
  info: "neutral",
  warning: "warn",
  error: "danger",
};

export function SeverityBadge({ severity }: { severity: TEventView["severity"] }) {
  return (
    <Badge tone={SEVERITY_TONES[severity]} className="w-16 justify-center">
      {severity}
    </Badge>
  );
}
