/**
 * What a scale would do, from the scheduler's dry run of it, as lines people read before
 * confirming: replicas that stay (by node), new slots and where they go, slots that would not
 * fit and why, and slots that go away. Pure, so it is unit tested apart from React.
 */
import { plural } from "@/components/format";
import type { TDryRunView } from "@/components/trpc/client";

export type TScaleChange =
  | { kind: "added"; slot: number; nodeName: string }
  | { kind: "unplaced"; slot: number; message: string }
  | { kind: "removed"; slot: number; nodeName: string | null };

export type TScalePreview = {
  /** One sentence: what stays, what is added, what goes. */
  summary: string;
  /** Kept replicas per node, most first: `lab-1 × 2`. */
  keptByNode: { nodeName: string; count: number }[];
  /** Each changed slot in slot order, capped at `limit`. */
  changes: TScaleChange[];
  /** Changes left out past the cap. */
  moreChanges: number;
  unplacedCount: number;
};

/** Beyond this many changed slots the dialog says "and N more" rather than list them. */
export const SCALE_PREVIEW_ROWS = 12;

function keptByNode(plan: TDryRunView): TScalePreview["keptByNode"] {
  const counts = new Map<string, number>();
  for (const replica of plan.kept) {
    const name = replica.nodeName ?? "no node";
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }

  return [...counts]
    .map(([nodeName, count]) => ({ nodeName, count }))
    .sort((a, b) => b.count - a.count || a.nodeName.localeCompare(b.nodeName));
}

function summaryOf(plan: TDryRunView, from: number): string {
  const keptSlots = new Set(plan.kept.map((replica) => replica.slot)).size;
  const parts = [
    keptSlots > 0 ? `keeps ${plural(keptSlots, "replica")} in place` : "",
    plan.placements.length > 0 ? `starts ${plan.placements.length} new` : "",
    plan.unplaced.length > 0 ? `${plan.unplaced.length} would not fit now` : "",
    plan.removed.length > 0 ? `removes ${plural(plan.removed.length, "replica")}` : "",
  ].filter((part) => part !== "");

  return `${from} → ${plan.replicas}: ${parts.length > 0 ? parts.join(", ") : "nothing runs"}.`;
}

/** The preview of scaling an app that has `from` replicas, from the dry run of the new count. */
export function scalePreviewOf(
  plan: TDryRunView,
  from: number,
  limit = SCALE_PREVIEW_ROWS,
): TScalePreview {
  const changes: TScaleChange[] = [
    ...plan.placements.map((p) => ({ kind: "added" as const, slot: p.slot, nodeName: p.nodeName })),
    ...plan.unplaced.map((u) => ({ kind: "unplaced" as const, slot: u.slot, message: u.message })),
    ...plan.removed.map((r) => ({ kind: "removed" as const, slot: r.slot, nodeName: r.nodeName })),
  ].sort((a, b) => a.slot - b.slot);

  return {
    summary: summaryOf(plan, from),
    keptByNode: keptByNode(plan),
    changes: changes.slice(0, limit),
    moreChanges: Math.max(0, changes.length - limit),
    unplacedCount: plan.unplaced.length,
  };
}
