"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useCan } from "@/components/auth/session";
import { plural } from "@/components/format";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";

import { MoveList } from "./move-list";
import {
  type TRepackPlan,
  type TRepackRun,
  formatComputeMs,
  planSummary,
  repackRefreshMs,
} from "./repack-model";
import { RepackRun } from "./repack-run";

/** Replicas come and go for other reasons too; the plan is cheap, so ask again now and then. */
const PLAN_REFRESH_MS = 10_000;

function PlanView({ plan }: { plan: TRepackPlan }) {
  const summary = (
    <p className="text-sm break-words" data-testid="repack-summary">
      {planSummary(plan)}{" "}
      <span className="text-xs whitespace-nowrap text-faint" data-testid="repack-compute">
        planned in {formatComputeMs(plan.computeMs)}
      </span>
    </p>
  );
  const pinned =
    plan.pinnedReplicas > 0 ? (
      <p className="text-xs text-muted">
        {plural(plan.pinnedReplicas, "replica")} of apps without a known spec stay where they are.
      </p>
    ) : null;
  if (plan.moves.length === 0) {
    return (
      <div data-testid="repack-plan" data-moves="0">
        <EmptyState title="Already as packed as the plan can get">
          {summary}
          {pinned}
        </EmptyState>
      </div>
    );
  }

  return (
    <div data-testid="repack-plan" data-moves={plan.moves.length}>
      <div className="space-y-1 p-4">
        {summary}
        {pinned}
      </div>
      <MoveList moves={plan.moves} label="Planned moves" />
    </div>
  );
}

type TApplyDialogProps = {
  plan: TRepackPlan | undefined;
  isOpen: boolean;
  onClose: () => void;
  onStarted: (run: TRepackRun) => void;
};

function ApplyDialog({ plan, isOpen, onClose, onStarted }: TApplyDialogProps) {
  const trpc = useTRPC();
  const apply = useMutation(trpc.cluster.applyRepack.mutationOptions({ onSuccess: onStarted }));
  const freed = plan?.nodesFreed.join(", ") || "no node";
  const moves = plural(plan?.moves.length ?? 0, "replica");

  return (
    <ConfirmDialog
      isOpen={isOpen}
      title="Apply the re-pack?"
      confirmLabel="Apply re-pack"
      isBusy={apply.isPending}
      error={apply.error ? errorMessage(apply.error) : null}
      onConfirm={() => apply.mutate({})}
      onClose={() => {
        apply.reset();
        onClose();
      }}
    >
      <p>
        Moves {moves} to free {freed} ({plan?.nodesUsedBefore ?? 0} → {plan?.nodesUsed ?? 0} nodes
        in use).
      </p>
      <p className="mt-2">
        One move runs at a time: each replica&apos;s successor starts on its new node and must be
        ready before the replica stops, so apps keep serving. Berth plans afresh as it starts, and
        you can cancel between moves.
      </p>
    </ConfirmDialog>
  );
}

/** The offline re-pack: the plan, and the newest applied re-pack with its live progress. */
export function RepackPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const canOperate = useCan("operator");
  const [isConfirming, setIsConfirming] = useState(false);
  const run = useQuery(
    trpc.cluster.repack.queryOptions(undefined, {
      refetchInterval: (query) =>
        query.state.status === "error" ? false : repackRefreshMs(query.state.data),
    }),
  );
  const isRunning = run.data?.state === "running";
  // A plan made while replicas move describes a cluster that is about to change: wait.
  const plan = useQuery(
    trpc.cluster.repackPlan.queryOptions(undefined, {
      enabled: !isRunning,
      staleTime: 0,
      refetchInterval: (query) => (query.state.status === "error" ? false : PLAN_REFRESH_MS),
    }),
  );
  const onRun = (view: TRepackRun) => {
    queryClient.setQueryData(trpc.cluster.repack.queryKey(), view);
    void queryClient.invalidateQueries({ queryKey: trpc.cluster.repackPlan.queryKey() });
  };
  const cancel = useMutation(
    trpc.cluster.cancelRepack.mutationOptions({
      onSuccess: (view) => {
        onRun(view);
        notify("info", "Re-pack cancelled: moves done so far stay done.");
      },
    }),
  );
  const canApply = canOperate && !isRunning && (plan.data?.moves.length ?? 0) > 0;

  return (
    <Panel
      title="Re-pack"
      description="Moves replicas onto fewer nodes so the rest can be freed."
      actions={
        canApply ? (
          <Button variant="primary" onClick={() => setIsConfirming(true)}>
            Apply re-pack
          </Button>
        ) : canOperate && isRunning ? (
          <Button onClick={() => cancel.mutate({})} isBusy={cancel.isPending}>
            Cancel re-pack
          </Button>
        ) : null
      }
      isFlush
    >
      {cancel.error ? (
        <div className="p-4 pb-0">
          <Notice tone="danger" role="alert">
            {errorMessage(cancel.error)}
          </Notice>
        </div>
      ) : null}
      {run.isError ? (
        <div className="p-4 pb-0">
          <QueryErrorNotice
            title="The last re-pack could not be loaded"
            error={run.error}
            onRetry={() => void run.refetch()}
          />
        </div>
      ) : null}
      {run.data ? <RepackRun run={run.data} /> : null}
      <div className={run.data ? "border-t border-line" : undefined}>
        {isRunning ? (
          <p className="p-4 text-sm text-muted">The plan shows again once this re-pack ends.</p>
        ) : plan.isPending ? (
          <SkeletonRows rows={2} label="Planning" />
        ) : plan.isError ? (
          <div className="p-4">
            <QueryErrorNotice
              title="The re-pack could not be planned"
              error={plan.error}
              onRetry={() => void plan.refetch()}
            />
          </div>
        ) : (
          <PlanView plan={plan.data} />
        )}
      </div>
      <ApplyDialog
        plan={plan.data}
        isOpen={isConfirming}
        onClose={() => setIsConfirming(false)}
        onStarted={(view) => {
          onRun(view);
          setIsConfirming(false);
          notify("success", `Re-pack started: ${plural(view.moves.length, "move")} to run.`);
        }}
      />
    </Panel>
  );
}
