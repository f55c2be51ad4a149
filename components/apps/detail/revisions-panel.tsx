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
import { SelectField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { SkeletonRows } from "@/components/ui/skeleton";

import { applyAppChange } from "./app-cache";
import {
  type TComparison,
  comparisonFor,
  comparisonProblem,
  swapped,
  withSide,
} from "./revision-compare";
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
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant={isComparing ? "primary" : "secondary"} onClick={onCompare}>
          {isComparing ? "Comparing" : "Compare"}
        </Button>
        {canOperate && !revision.isCurrent ? (
          <Button size="sm" onClick={onRollback}>
            Roll back to this
          </Button>
        ) : null}
      </div>
    </li>
  );
}

type TComparePickerProps = {
  revisions: readonly TRevisionView[];
  comparison: TComparison;
  onChange: (comparison: TComparison) => void;
  onClose: () => void;
};

/** Both sides of the comparison, each any revision of the app. */
function ComparePicker({ revisions, comparison, onChange, onClose }: TComparePickerProps) {
  const options = revisions.map((revision) => (
    <option key={revision.number} value={revision.number}>
      #{revision.number} {revision.reason}
      {revision.isCurrent ? " (current)" : ""}
    </option>
  ));
  const pick = (side: keyof TComparison) => (event: { target: { value: string } }) =>
    onChange(withSide(comparison, side, Number(event.target.value)));

  return (
    <div className="flex flex-wrap items-end gap-3 px-4 pt-3" data-testid="revision-compare">
      <SelectField label="From revision" value={comparison.from} onChange={pick("from")}>
        {options}
      </SelectField>
      <SelectField label="To revision" value={comparison.to} onChange={pick("to")}>
        {options}
      </SelectField>
      <Button size="sm" onClick={() => onChange(swapped(comparison))}>
        Swap
      </Button>
      <Button size="sm" variant="ghost" onClick={onClose}>
        Close
      </Button>
    </div>
  );
}

/** The app's revisions, newest first: compare any two, or roll back to one. */
export function RevisionsPanel({ app }: { app: TAppView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const canOperate = useCan("operator");
  const [comparison, setComparison] = useState<TComparison | null>(null);
  const [rollingBackTo, setRollingBackTo] = useState<number | null>(null);

  const revisions = useQuery(trpc.app.revisions.queryOptions({ id: app.id }));
  const rollback = useMutation(
    trpc.app.rollback.mutationOptions({
      onSuccess: (updated, input) => {
        applyAppChange(queryClient, trpc, updated);
        setRollingBackTo(null);
        setComparison(null);
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
  const numbers = revisions.data?.map((revision) => revision.number) ?? [];
  const isCompared = (number: number) =>
    comparison !== null && (comparison.from === number || comparison.to === number);
  // Compare on a row in the comparison closes it; on any other row, starts from that row.
  const compare = (number: number) =>
    setComparison(isCompared(number) ? null : comparisonFor(numbers, number, current));
  const problem = comparison ? comparisonProblem(comparison) : null;

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
              isComparing={isCompared(revision.number)}
              onCompare={() => compare(revision.number)}
              onRollback={() => setRollingBackTo(revision.number)}
            />
          ))}
        </ol>
      )}
      {comparison && revisions.data ? (
        <div className="border-t border-line">
          <ComparePicker
            revisions={revisions.data}
            comparison={comparison}
            onChange={setComparison}
            onClose={() => setComparison(null)}
          />
          {problem ? (
            <p className="px-4 py-3 text-sm text-muted">{problem}</p>
          ) : (
            <RevisionDiff
              appId={app.id}
              from={comparison.from}
              to={comparison.to}
              current={current}
            />
          )}
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
