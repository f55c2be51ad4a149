"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

import { plural } from "@/components/format";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { StaleHint } from "@/components/live/connection-indicator";
import { useTRPCClient } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";

import { EventList } from "./event-list";
import {
  KIND_PREFIXES,
  SEVERITIES,
  type TTimelineFilter,
  filterFromParams,
  paramsFromFilter,
} from "./event-filters";
import { eventTimelineKey } from "./timeline-key";
import { cx } from "@/components/ui/cx";

/** Events per "Load older" page. */
const EVENT_PAGE_SIZE = 50;

function useTimeline(filter: TTimelineFilter) {
  const trpcClient = useTRPCClient();

  return useInfiniteQuery({
    queryKey: eventTimelineKey(filter),
    queryFn: ({ pageParam, signal }) =>
      trpcClient.event.find.query(
        { ...filter, beforeId: pageParam, limit: EVENT_PAGE_SIZE },
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    // The head page grows with pushed events; its last item is still the oldest one loaded.
    getNextPageParam: (lastPage) =>
      lastPage.length < EVENT_PAGE_SIZE ? undefined : lastPage.at(-1)?.id,
  });
}

function Filters({
  filter,
  onChange,
}: {
  filter: TTimelineFilter;
  onChange: (next: TTimelineFilter) => void;
}) {
  return (
    <div className="flex flex-wrap gap-3">
      <SelectField
        label="Severity"
        className="w-40"
        value={filter.severity ?? ""}
        onChange={(event) => {
          const value = SEVERITIES.find((severity) => severity === event.target.value);
          onChange({ ...filter, severity: value });
        }}
      >
        <option value="">All severities</option>
        {SEVERITIES.map((severity) => (
          <option key={severity} value={severity}>
            {severity}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Kind"
        className="w-40"
        value={filter.kindPrefix ?? ""}
        onChange={(event) => onChange({ ...filter, kindPrefix: event.target.value || undefined })}
      >
        <option value="">All kinds</option>
        {KIND_PREFIXES.map((prefix) => (
          <option key={prefix} value={prefix}>
            {prefix.slice(0, -1)} events
          </option>
        ))}
      </SelectField>
    </div>
  );
}

function Timeline({ filter }: { filter: TTimelineFilter }) {
  const timeline = useTimeline(filter);
  const events = timeline.data?.pages.flat() ?? [];
  const nextPageError = timeline.isFetchNextPageError ? timeline.error : null;

  return (
    <Panel
      title="Timeline"
      description={
        timeline.data ? `${plural(events.length, "event")} loaded, newest first` : undefined
      }
      actions={<StaleHint />}
      isFlush
    >
      {timeline.isPending ? (
        <SkeletonRows rows={6} label="Loading events" />
      ) : !timeline.data ? (
        <div className="p-4">
          <QueryErrorNotice
            title="Events could not be loaded"
            error={timeline.error}
            onRetry={() => void timeline.refetch()}
          />
        </div>
      ) : events.length === 0 ? (
        <EmptyState title="No events match">
          Try another severity or kind. New events appear here as they happen.
        </EmptyState>
      ) : (
        <>
          <EventList events={events} />
          <div
            className={cx(
              "flex flex-wrap items-center justify-center gap-3 border-t border-line p-3",
            )}
          >
            {timeline.hasNextPage ? (
              <Button
                onClick={() => void timeline.fetchNextPage()}
                isBusy={timeline.isFetchingNextPage}
              >
                Load older
              </Button>
            ) : (
              <p className="text-xs text-muted">The beginning of the timeline.</p>
            )}
            {nextPageError ? (
              <p role="alert" className="text-xs text-danger">
                {errorMessage(nextPageError)}
              </p>
            ) : null}
          </div>
        </>
      )}
    </Panel>
  );
}

/** /events: the audit timeline of every change, live, filterable, pageable into the past. */
export function EventsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filter = filterFromParams(params);

  return (
    <>
      <PageHeader
        title="Events"
        description="Every change to nodes, users and tokens, newest first. New events appear live."
      />
      <div className="space-y-4">
        <Filters
          filter={filter}
          onChange={(next) => router.replace(`${pathname}${paramsFromFilter(next)}`)}
        />
        <PanelBoundary title="Timeline">
          <Timeline filter={filter} />
        </PanelBoundary>
      </div>
    </>
  );
}
