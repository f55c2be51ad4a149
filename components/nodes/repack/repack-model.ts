/**
 * Pure helpers for the re-pack panel: the plan in one line, each state as a label and tone,
 * and how far a running re-pack has got. Unit tested in repack-model.test.ts.
 */
import { plural } from "@/components/format";
import type { TRouterOutputs } from "@/components/trpc/client";
import type { TTone } from "@/components/ui/badge";

export type TRepackPlan = TRouterOutputs["cluster"]["repackPlan"];
export type TRepackRun = NonNullable<TRouterOutputs["cluster"]["repack"]>;
export type TRepackMove = TRepackRun["moves"][number];
export type TMoveState = TRepackMove["state"];
export type TRepackState = TRepackRun["state"];

/** A running re-pack moves a replica every few seconds: poll it closely. */
export const RUNNING_REFRESH_MS = 1_000;
/** Otherwise only another operator's apply changes it. */
export const IDLE_REFRESH_MS = 10_000;

export type TStateLabel = { label: string; tone: TTone };

const MOVE_STATE_LABELS: Record<TMoveState, TStateLabel> = {
  pending: { label: "waiting", tone: "neutral" },
  moving: { label: "moving", tone: "info" },
  done: { label: "done", tone: "ok" },
  skipped: { label: "skipped", tone: "warn" },
  failed: { label: "failed", tone: "danger" },
};

const REPACK_STATE_LABELS: Record<TRepackState, TStateLabel> = {
  running: { label: "running", tone: "info" },
  succeeded: { label: "succeeded", tone: "ok" },
  failed: { label: "failed", tone: "danger" },
  cancelled: { label: "cancelled", tone: "warn" },
};

export function moveStateLabel(state: TMoveState): TStateLabel {
  return MOVE_STATE_LABELS[state];
}

export function repackStateLabel(state: TRepackState): TStateLabel {
  return REPACK_STATE_LABELS[state];
}

/**
 * "3 nodes in use → 1 after 2 moves; frees lab-2, lab-3; lower bound 1", or, when nothing
 * would move, "1 node in use; nothing to move; lower bound 1".
 */
export function planSummary(plan: TRepackPlan): string {
  const inUse = `${plural(plan.nodesUsedBefore, "node")} in use`;
  const bound = `lower bound ${plan.lowerBound}`;
  if (plan.moves.length === 0) {
    return `${inUse}; nothing to move; ${bound}`;
  }
  const after = `${plan.nodesUsed} after ${plural(plan.moves.length, "move")}`;
  const frees = plan.nodesFreed.length > 0 ? plan.nodesFreed.join(", ") : "no node";

  return `${inUse} → ${after}; frees ${frees}; ${bound}`;
}

/** "0.4 ms", "12 ms", "1.3 s": how long the plan took, to one or two significant digits. */
export function formatComputeMs(ms: number): string {
  if (ms >= 1000) {
    return `${(ms / 1000).toFixed(1)} s`;
  }

  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export type TProgress = {
  done: number;
  skipped: number;
  failed: number;
  /** Moves that will not change any more: done, skipped or failed. */
  settled: number;
  total: number;
  /** Settled moves as a whole percentage of all moves; 100 for a re-pack with none. */
  percent: number;
};

export function progressCounts(moves: readonly Pick<TRepackMove, "state">[]): TProgress {
  const count = (state: TMoveState) => moves.filter((move) => move.state === state).length;
  const done = count("done");
  const skipped = count("skipped");
  const failed = count("failed");
  const settled = done + skipped + failed;
  const total = moves.length;

  return {
    done,
    skipped,
    failed,
    settled,
    total,
    percent: total === 0 ? 100 : Math.round((settled / total) * 100),
  };
}

/** "1 of 2 moves done", with ", 1 skipped, 1 failed" when some were. */
export function progressLine(progress: TProgress): string {
  const extras = [
    progress.skipped > 0 ? `${progress.skipped} skipped` : "",
    progress.failed > 0 ? `${progress.failed} failed` : "",
  ].filter(Boolean);

  return [`${progress.done} of ${plural(progress.total, "move")} done`, ...extras].join(", ");
}

/**
 * The move a running re-pack is on: the one moving, else the next waiting (between two
 * reconciler passes nothing is moving yet). -1 once the re-pack has ended.
 */
export function currentMoveIndex(run: Pick<TRepackRun, "state" | "moves">): number {
  if (run.state !== "running") {
    return -1;
  }
  const moving = run.moves.findIndex((move) => move.state === "moving");

  return moving >= 0 ? moving : run.moves.findIndex((move) => move.state === "pending");
}

/** How often to ask for the newest re-pack, given the one last seen. */
export function repackRefreshMs(run: Pick<TRepackRun, "state"> | null | undefined): number {
  return run?.state === "running" ? RUNNING_REFRESH_MS : IDLE_REFRESH_MS;
}
