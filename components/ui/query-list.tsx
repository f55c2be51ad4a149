import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { QueryErrorNotice } from "./query-error-notice";
import { SkeletonRows } from "./skeleton";

type TQueryListProps<TItem> = {
  query: UseQueryResult<readonly TItem[], unknown>;
  /** Read by screen readers while loading, e.g. "Loading rules". */
  loadingLabel: string;
  skeletonRows?: number;
  /** What failed, e.g. "Rules could not be loaded". */
  errorTitle?: ReactNode;
  /** Shown for an empty list: what it means and what to do next. */
  empty: ReactNode;
  children: (items: readonly TItem[]) => ReactNode;
};

/**
 * A list fed by a query, in its four states: loading (skeleton rows), failed (the reason and
 * a retry), empty, and the items themselves.
 */
export function QueryList<TItem>(props: TQueryListProps<TItem>) {
  const { query, loadingLabel, skeletonRows, errorTitle, empty, children } = props;
  if (query.isPending) {
    return <SkeletonRows rows={skeletonRows} label={loadingLabel} />;
  }
  if (query.isError) {
    return (
      <div className="p-4">
        <QueryErrorNotice
          title={errorTitle}
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      </div>
    );
  }

  return query.data.length === 0 ? empty : children(query.data);
}
