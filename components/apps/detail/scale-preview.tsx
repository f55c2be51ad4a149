"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";

import { type TScaleChange, scalePreviewOf } from "./scale-preview-model";

function ChangeRow({ change }: { change: TScaleChange }) {
  const label = <span className="text-muted">Replica {change.slot}</span>;
  if (change.kind === "unplaced") {
    return (
      <li data-testid="scale-change" data-kind="unplaced" className="space-y-0.5 py-1.5">
        <div className="flex items-center justify-between gap-3">
          {label}
          <Badge tone="danger" hasDot>
            would not fit
          </Badge>
        </div>
        <p className="text-xs break-words text-danger">{change.message}</p>
      </li>
    );
  }

  return (
    <li
      data-testid="scale-change"
      data-kind={change.kind}
      data-node-name={change.nodeName ?? ""}
      className="flex items-center justify-between gap-3 py-1.5"
    >
      {label}
      <span className="flex items-center gap-2">
        <span className="font-medium wrap-anywhere text-fg">{change.nodeName ?? "no node"}</span>
        <Badge tone={change.kind === "added" ? "ok" : "neutral"}>
          {change.kind === "added" ? "new" : "removed"}
        </Badge>
      </span>
    </li>
  );
}

/**
 * What scaling `appId` from `from` to `to` replicas would do, from the scheduler's dry run:
 * replicas that stay, new ones and their nodes, what would not fit and why, what goes away.
 */
export function ScalePreview({ appId, from, to }: { appId: string; from: number; to: number }) {
  const trpc = useTRPC();
  const plan = useQuery(trpc.app.dryRun.queryOptions({ appId, replicas: to }));

  if (plan.isPending) {
    return <SkeletonRows rows={2} label="Planning the scale" />;
  }
  if (plan.isError) {
    return (
      <QueryErrorNotice
        title="The scheduler could not plan this scale"
        error={plan.error}
        onRetry={() => void plan.refetch()}
      />
    );
  }
  const preview = scalePreviewOf(plan.data, from);

  return (
    <div className="space-y-3" data-testid="scale-preview">
      <p className="text-fg" data-testid="scale-summary">
        {preview.summary}
      </p>
      {preview.keptByNode.length > 0 ? (
        <p className="text-xs" data-testid="scale-kept">
          Staying: {preview.keptByNode.map((n) => `${n.nodeName} × ${n.count}`).join(", ")}
        </p>
      ) : null}
      {preview.changes.length > 0 ? (
        <ul className="divide-y divide-line" aria-label="Changes by replica">
          {preview.changes.map((change) => (
            <ChangeRow key={`${change.kind}-${change.slot}`} change={change} />
          ))}
          {preview.moreChanges > 0 ? (
            <li className="py-1.5 text-xs">and {preview.moreChanges} more</li>
          ) : null}
        </ul>
      ) : null}
      {preview.unplacedCount > 0 ? (
        <Notice tone="warn" role="status">
          The count is still saved: replicas that do not fit wait until a node has room.
        </Notice>
      ) : null}
    </div>
  );
}
