import type { TAppSummary } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";

type TCounts = TAppSummary["replicaCounts"];

/** Replicas in the `running` state; the rest are starting, stopping or in trouble. */
export function runningOf(counts: TCounts): number {
  return counts.running ?? 0;
}

/** "2 / 3" ready of desired: green when all are ready, amber while they converge. */
export function ReadyOfDesired({ ready, desired }: { ready: number; desired: number }) {
  const tone = ready >= desired ? "ok" : ready === 0 && desired > 0 ? "danger" : "warn";

  return (
    <span title={`${ready} ready of ${desired} desired`} className="inline-flex">
      <Badge tone={tone} data-testid="ready-of-desired">
        {ready} / {desired}
      </Badge>
    </span>
  );
}
