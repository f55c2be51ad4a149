"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { plural } from "@/components/format";
import { type TDryRunView, useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import type { TAppSpec } from "@/server/apps/spec";

/** Waits for typing to pause before asking the scheduler, so a keystroke is not a request. */
const PREVIEW_DEBOUNCE_MS = 400;

/** `value`, once it has stayed the same for `delayMs`. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);

    return () => clearTimeout(timer);
  }, [value, delayMs]);

  return settled;
}

function PlanList({ plan }: { plan: TDryRunView }) {
  if (plan.replicas === 0) {
    return <p className="p-4 text-sm text-muted">0 replicas: nothing would run.</p>;
  }

  return (
    <ol className="divide-y divide-line" aria-label="Planned placements">
      {plan.placements.map((placement) => (
        <li
          key={placement.replicaIndex}
          data-testid="preview-placement"
          data-node-name={placement.nodeName}
          className="flex items-center justify-between gap-3 px-4 py-2 text-sm"
        >
          <span className="text-muted">Replica {placement.replicaIndex + 1}</span>
          <span className="font-medium wrap-anywhere">{placement.nodeName}</span>
        </li>
      ))}
      {plan.unplaced.map((replica) => (
        <li
          key={replica.replicaIndex}
          data-testid="preview-unplaced"
          className="space-y-1 px-4 py-2 text-sm"
        >
          <div className="flex items-center justify-between gap-3">
            <span className="text-muted">Replica {replica.replicaIndex + 1}</span>
            <Badge tone="danger" hasDot>
              Not placed
            </Badge>
          </div>
          <p className="text-xs break-words text-danger">{replica.message}</p>
        </li>
      ))}
    </ol>
  );
}

/**
 * Where the scheduler would put each replica of the spec being typed, from a dry run; nothing
 * is written. Shown only for a spec that passes the schema.
 */
export function DryRunPreview({ spec }: { spec: TAppSpec | null }) {
  const trpc = useTRPC();
  const settled = useDebounced(spec, PREVIEW_DEBOUNCE_MS);
  const plan = useQuery(
    trpc.app.dryRun.queryOptions(
      { spec: settled ?? undefined },
      { enabled: settled !== null, placeholderData: keepPreviousData },
    ),
  );
  const isWaiting = spec !== settled || plan.isFetching;

  return (
    <Panel
      title="Placement preview"
      description={
        plan.data && settled
          ? `${plural(plan.data.placements.length, "replica")} placed of ${plan.data.replicas}, ` +
            `${plural(plan.data.nodesConsidered, "node")} considered`
          : "Where each replica would run, if deployed now."
      }
      actions={isWaiting && settled ? <Spinner /> : null}
      isFlush
    >
      {settled === null ? (
        <p className="p-4 text-sm text-muted">
          The preview shows once the form passes its checks: a name, an image reference and whole
          numbers.
        </p>
      ) : plan.isPending ? (
        <SkeletonRows rows={2} label="Planning" />
      ) : plan.isError ? (
        <div className="p-4">
          <QueryErrorNotice
            title="The scheduler could not plan"
            error={plan.error}
            onRetry={() => void plan.refetch()}
          />
        </div>
      ) : (
        <>
          {plan.data.unplaced.length > 0 ? (
            <div className="p-4 pb-0">
              <Notice tone="warn" role="status">
                {plural(plan.data.unplaced.length, "replica")} would not run now; the app can still
                be deployed and waits for room.
              </Notice>
            </div>
          ) : null}
          <PlanList plan={plan.data} />
        </>
      )}
    </Panel>
  );
}
