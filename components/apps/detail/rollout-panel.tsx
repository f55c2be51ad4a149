"use client";

import type { TAppView } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { useNow } from "@/components/ui/now-store";
import { Panel } from "@/components/ui/panel";
import { RelativeTime } from "@/components/ui/relative-time";

import { type TRollout, isRolloutShown, rolloutShares } from "../status/app-status";

function titleOf(rollout: TRollout): string {
  const change =
    rollout.fromRevision === null
      ? `revision ${rollout.toRevision}`
      : `revision ${rollout.fromRevision} → ${rollout.toRevision}`;
  if (rollout.state === "failed") {
    return `Update failed: ${change}`;
  }

  return rollout.state === "progressing" ? `Updating ${change}` : `Updated ${change}`;
}

function ProgressBar({ rollout }: { rollout: TRollout }) {
  const { progress } = rollout;
  const shares = rolloutShares(progress);
  const starting = progress.updated - progress.ready;

  return (
    <div className="space-y-1.5">
      <div
        role="progressbar"
        aria-label="Replicas updated and ready"
        aria-valuemin={0}
        aria-valuemax={progress.desired}
        aria-valuenow={progress.ready}
        className="flex h-2.5 overflow-hidden rounded-full bg-sunken"
      >
        <div className="bg-ok" style={{ width: `${shares.ready}%` }} />
        <div className="animate-pulse bg-info" style={{ width: `${shares.starting}%` }} />
        <div className="bg-faint" style={{ width: `${shares.old}%` }} />
      </div>
      <p className="flex flex-wrap gap-x-3 text-xs text-muted" data-testid="rollout-progress">
        <span>
          {progress.ready} of {progress.desired} updated and ready
        </span>
        {starting > 0 ? <span>{starting} updated, not ready yet</span> : null}
        {progress.old > 0 ? <span>{progress.old} of the old revision left</span> : null}
      </p>
    </div>
  );
}

function FailedAdvice({ rollout }: { rollout: TRollout }) {
  const back =
    rollout.fromRevision === null
      ? "roll back to an earlier revision under Revisions"
      : `roll back to revision ${rollout.fromRevision} under Revisions`;

  return (
    <Notice tone="danger" role="status" title="Berth stopped this update">
      <p>{rollout.message ?? "The new revision's replicas did not become ready in time."}</p>
      <p className="mt-1">
        What to do: read the last error and health message of the new revision&apos;s replicas
        below, then fix the spec and save it as a new revision, or {back}.
      </p>
    </Notice>
  );
}

/** The rollout in progress, or one that just ended or failed; nothing when there is none. */
export function RolloutPanel({ app }: { app: TAppView }) {
  const now = useNow();
  const { rollout } = app;
  // Before the clock ticks (now is 0), a recent end counts as recent.
  if (!isRolloutShown(rollout, now)) {
    return null;
  }

  return (
    <Panel
      title={
        <span className="flex flex-wrap items-center gap-2" data-testid="rollout-title">
          {titleOf(rollout)}
          {rollout.isAutomatic ? <Badge tone="warn">automatic rollback</Badge> : null}
        </span>
      }
      description={
        <>
          Started <RelativeTime at={rollout.createdAt} />
          {rollout.finishedAt ? (
            <>
              , ended <RelativeTime at={rollout.finishedAt} />
            </>
          ) : null}
        </>
      }
    >
      <div className="space-y-3" data-testid="rollout-panel" data-state={rollout.state}>
        <ProgressBar rollout={rollout} />
        {rollout.state === "failed" ? (
          <FailedAdvice rollout={rollout} />
        ) : rollout.message ? (
          <p className="text-sm">{rollout.message}</p>
        ) : null}
      </div>
    </Panel>
  );
}
