import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";

import { MoveList } from "./move-list";
import {
  type TRepackRun,
  currentMoveIndex,
  progressCounts,
  progressLine,
  repackStateLabel,
} from "./repack-model";

const FINAL_TONES = { succeeded: "ok", failed: "danger", cancelled: "warn" } as const;

function ProgressBar({ percent }: { percent: number }) {
  return (
    <div
      role="progressbar"
      aria-label="Re-pack progress"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className="h-1.5 w-full overflow-hidden rounded-full bg-sunken"
    >
      <div
        className="h-full rounded-full bg-accent transition-all"
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}

function FinalNotice({ run }: { run: TRepackRun }) {
  if (run.state === "running") {
    return null;
  }
  const freed = run.nodesFreed.join(", ") || "no node";

  return (
    <Notice
      tone={FINAL_TONES[run.state]}
      role="status"
      title={`Re-pack ${repackStateLabel(run.state).label}`}
    >
      <span data-testid="repack-message">{run.message ?? `planned to free ${freed}`}</span>
      {run.finishedAt ? (
        <>
          {" · "}
          <RelativeTime at={run.finishedAt} />
        </>
      ) : null}
    </Notice>
  );
}

/** The newest applied re-pack: live while it runs, then how it ended. */
export function RepackRun({ run }: { run: TRepackRun }) {
  const progress = progressCounts(run.moves);
  const { label, tone } = repackStateLabel(run.state);
  const freed = run.nodesFreed.join(", ") || "no node";

  return (
    <div data-testid="repack-run" data-state={run.state}>
      <div className="space-y-2 p-4">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h3 className="text-sm font-medium">Last re-pack</h3>
          <Badge tone={tone} hasDot data-testid="repack-state">
            {label}
          </Badge>
          <span className="text-xs text-muted tabular-nums" data-testid="repack-progress">
            {progressLine(progress)}
          </span>
        </div>
        <p className="text-xs break-words text-muted">
          {run.nodesBefore} → {run.nodesAfter} nodes, to free {freed}; applied by{" "}
          {run.createdByName} <RelativeTime at={run.createdAt} />
        </p>
        {run.state === "running" ? <ProgressBar percent={progress.percent} /> : null}
        <FinalNotice run={run} />
      </div>
      <MoveList
        moves={run.moves}
        label="Moves of the last re-pack"
        hasStates
        currentIndex={currentMoveIndex(run)}
      />
    </div>
  );
}
