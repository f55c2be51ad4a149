"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useCan } from "@/components/auth/session";
import { useToast } from "@/components/providers/toast-provider";
import { type TAppView, type TRevisionView, useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { SkeletonRows } from "@/components/ui/skeleton";

import { applyAppChange } from "./app-cache";
import { RevisionDiff } from "./revision-diff";

type TRevisionRowProps = {
  revision: TRevisionView;
  canOperate: boolean;
  isComparing: boolean;
  onCompare: () => void;
  onRollback: () => void;
};

function RevisionRow({
  revision,
  canOperate,
  isComparing,
  onCompare,
  onRollback,
}: TRevisionRowProps) {
  return (
    <li
      data-testid="revision-row"
      data-revision={revision.number}
      className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-2.5"
    >
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium tabular-nums">#{revision.number}</span>
          <span>{revision.reason}</span>
          {revision.isCurrent ? <Badge tone="ok">current</Badge> : null}
        </p>
        <p className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-muted">
          <span>by {revision.createdByName}</span>
          <RelativeTime at={revision.createdAt} />
          <span className="font-mono wrap-anywhere">
            {revision.image} × {revision.replicas}
          </span>
        </p>
      </div>
      {revision.isCurrent ? null : (
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant={isComparing ? "primary" : "secondary"} onClick={onCompare}>
            {isComparing ? "Comparing" : "Compare"}
          </Button>
          {canOperate ? (
            <Button size="sm" onClick={onRollback}>
              Roll back to this
            </Button>
          ) : null}
        </div>
      )}
    </li>
  );
}

/** The app's revisions, newest first: compare one with the current, or roll back to it. */
export function RevisionsPanel({ app }: { app: TAppView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const canOperate = useCan("operator");
  const [comparing, setComparing] = useState<number | null>(null);
  const [rollingBackTo, setRollingBackTo] = useState<number | null>(null);

  const revisions = useQuery(trpc.app.revisions.queryOptions({ id: app.id }));
  const rollback = useMutation(
    trpc.app.rollback.mutationOptions({
      onSuccess: (updated, input) => {
        applyAppChange(queryClient, trpc, updated);
        setRollingBackTo(null);
        setComparing(null);
        notify(
          "success",
          `Rolled back to revision ${input.toRevision}'s spec ` +
            `as revision ${updated.revision.number}.`,
        );
      },
    }),
  );
  const closeDialog = () => {
    setRollingBackTo(null);
    rollback.reset();
  };
  const current = app.revision.number;

  return (
    <Panel title="Revisions" description="Every change is a new revision." isFlush>
      {revisions.isPending ? (
        <SkeletonRows rows={3} label="Loading revisions" />
      ) : revisions.isError ? (
        <div className="p-4">
          <QueryErrorNotice error={revisions.error} onRetry={() => void revisions.refetch()} />
        </div>
      ) : (
        <ol className="divide-y divide-line" aria-label="Revisions">
          {revisions.data.map((revision) => (
            <RevisionRow
              key={revision.number}
              revision={revision}
              canOperate={canOperate}
              isComparing={comparing === revision.number}
              onCompare={() =>
                setComparing((shown) => (shown === revision.number ? null : revision.number))
              }
              onRollback={() => setRollingBackTo(revision.number)}
            />
          ))}
        </ol>
      )}
      {comparing !== null && comparing !== current ? (
        <div className="border-t border-line">
          <RevisionDiff appId={app.id} from={comparing} to={current} />
        </div>
      ) : null}
      <ConfirmDialog
        isOpen={rollingBackTo !== null}
        title={`Roll back to revision ${rollingBackTo ?? ""}?`}
        confirmLabel="Roll back"
        isBusy={rollback.isPending}
        error={rollback.error ? errorMessage(rollback.error) : null}
        onConfirm={() => {
          if (rollingBackTo !== null) {
            rollback.mutate({ id: app.id, toRevision: rollingBackTo });
          }
        }}
        onClose={closeDialog}
      >
        Berth makes a new revision with revision {rollingBackTo}&apos;s spec, then replaces the
        running replicas to match it.
      </ConfirmDialog>
    </Panel>
  );
}
