"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/trpc/client";
import { cx } from "@/components/ui/cx";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";

type TKind = "added" | "removed" | "changed";

const KIND_MARKS: Record<TKind, { mark: string; className: string }> = {
  added: { mark: "+", className: "text-ok" },
  removed: { mark: "−", className: "text-danger" },
  changed: { mark: "~", className: "text-warn" },
};

type TRevisionDiffProps = { appId: string; from: number; to: number; current: number };

/** What changed from one revision to another, one line per change; secrets stay hidden. */
export function RevisionDiff({ appId, from, to, current }: TRevisionDiffProps) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.app.diff.queryOptions({ id: appId, from, to }));

  return (
    <section aria-label={`Changes from revision ${from} to ${to}`} className="px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold text-muted">
        Revision {from} → revision {to}
        {to === current ? " (current)" : ""}
      </h3>
      {diff.isPending ? (
        <SkeletonRows rows={2} label="Loading changes" />
      ) : diff.isError ? (
        <QueryErrorNotice error={diff.error} onRetry={() => void diff.refetch()} />
      ) : diff.data.changes.length === 0 ? (
        <p className="text-sm text-muted">No differences: the specs are the same.</p>
      ) : (
        <ul data-testid="revision-diff" className="space-y-1 font-mono text-xs">
          {diff.data.changes.map((change) => (
            <li key={change.path} className="flex gap-2">
              <span aria-hidden="true" className={cx("w-3", KIND_MARKS[change.kind].className)}>
                {KIND_MARKS[change.kind].mark}
              </span>
              <span className="min-w-0 wrap-anywhere">{change.text}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
