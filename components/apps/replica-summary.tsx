import type { TAppSummary } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";

type TCounts = TAppSummary["replicaCounts"];

/** Replicas in the `running` state; the rest are starting, stopping or in trouble. */
export function runningOf(counts: TCounts): number {
  return counts.running ?? 0;
}

/** "2 / 3" running of desired, green when all run and amber while they converge. */
export function RunningOfDesired({ counts, desired }: { counts: TCounts; desired: number }) {
  const running = runningOf(counts);

  return (
    <Badge tone={running === desired ? "ok" : "warn"} hasDot data-testid="running-of-desired">
      {running} / {desired}
    </Badge>
  );
}
