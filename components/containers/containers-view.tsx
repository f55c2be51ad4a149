"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";

import { plural } from "@/components/format";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { SearchIcon } from "@/components/ui/icons";
import { Notice } from "@/components/ui/notice";
import { useNow } from "@/components/ui/now-store";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { SkeletonRows } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { CONTAINER_STATE_FILTERS, type TContainerStateFilter } from "@/server/containers/schema";

import {
  type TContainerFilter,
  filterFromParams,
  freshnessOf,
  paramsFromFilter,
} from "./container-filters";
import { ContainerRows } from "./container-rows";

/** Containers are read live from the engines and have no push stream, so the page polls. */
export const CONTAINERS_REFRESH_MS = 5_000;
/** Typing pauses this long before the URL (and so the search) changes. */
const SEARCH_DEBOUNCE_MS = 250;

const STATE_LABELS: Record<TContainerStateFilter, string> = {
  all: "All",
  running: "Running",
  exited: "Exited",
};

type TListQuery = ReturnType<typeof useContainerList>;

function useContainerList(filter: TContainerFilter) {
  const trpc = useTRPC();

  return useQuery(
    trpc.container.list.queryOptions(filter, {
      refetchInterval: CONTAINERS_REFRESH_MS,
      // A new search keeps showing the last rows until its answer comes.
      placeholderData: keepPreviousData,
    }),
  );
}

/** The search box and state filter; the URL holds both, so a view can be shared. */
function Filters({
  filter,
  onChange,
}: {
  filter: TContainerFilter;
  onChange: (next: TContainerFilter) => void;
}) {
  const [draft, setDraft] = useState(filter.query);
  const [pushed, setPushed] = useState(filter.query);
  const [seen, setSeen] = useState(filter.query);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // The URL changed from elsewhere (a link, the nav): the box follows it. Changes this box
  // made itself are skipped, so a slow URL update never eats what is being typed.
  if (filter.query !== seen) {
    setSeen(filter.query);
    if (filter.query !== pushed.trim()) {
      setDraft(filter.query);
      setPushed(filter.query);
    }
  }

  const onType = (query: string) => {
    setDraft(query);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setPushed(query);
      onChange({ ...filter, query });
    }, SEARCH_DEBOUNCE_MS);
  };

  return (
    <div className="flex flex-wrap items-center gap-3 border-b border-line p-3">
      <div className="relative min-w-0 flex-1 basis-60 sm:max-w-sm">
        <SearchIcon className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-faint" />
        <input
          type="search"
          aria-label="Search containers"
          placeholder="Name, image, node, app, state or id"
          value={draft}
          onChange={(event) => onType(event.target.value)}
          className={`${inputClass} pl-8`}
        />
      </div>
      <div role="group" aria-label="State" className="flex rounded-md border border-line p-0.5">
        {CONTAINER_STATE_FILTERS.map((state) => (
          <button
            key={state}
            type="button"
            aria-pressed={filter.state === state}
            onClick={() => onChange({ ...filter, query: draft, state })}
            className={
              filter.state === state
                ? "rounded bg-accent-soft px-2.5 py-1 text-xs font-medium text-accent"
                : "rounded px-2.5 py-1 text-xs font-medium text-muted hover:bg-sunken"
            }
          >
            {STATE_LABELS[state]}
          </button>
        ))}
      </div>
    </div>
  );
}

/** When the list was read, and whether it can still be trusted. */
function Freshness({ list }: { list: TListQuery }) {
  const now = useNow();
  if (!list.data) {
    return null;
  }
  const freshness = freshnessOf(
    list.dataUpdatedAt,
    now,
    CONTAINERS_REFRESH_MS,
    list.isRefetchError,
  );

  return (
    <span
      data-testid="containers-freshness"
      data-freshness={freshness}
      className="inline-flex items-center gap-1.5 text-xs text-muted"
    >
      {list.isFetching ? <Spinner className="size-3" /> : null}
      {freshness === "live" ? null : (
        <span className="font-medium text-warn">
          {freshness === "failed" ? "Refresh failed:" : "May be out of date:"}
        </span>
      )}
      <span>
        read <RelativeTime at={new Date(list.dataUpdatedAt)} />
      </span>
    </span>
  );
}

/** One notice per node that could not be listed; the other nodes' rows still show. */
function NodeNotices({ list }: { list: NonNullable<TListQuery["data"]> }) {
  const failed = list.nodes.filter((node) => node.outcome === "failed");
  const skipped = list.nodes.filter((node) => node.outcome === "skipped");
  if (failed.length === 0 && skipped.length === 0) {
    return null;
  }

  return (
    <div className="space-y-2 border-b border-line p-3" data-testid="container-node-notices">
      {failed.map((node) => (
        <Notice key={node.nodeId} tone="warn" role="status">
          {node.error}
        </Notice>
      ))}
      {skipped.map((node) => (
        <Notice key={node.nodeId} tone="info" role="status">
          {node.error}
        </Notice>
      ))}
    </div>
  );
}

function NoRows({
  list,
  filter,
}: {
  list: NonNullable<TListQuery["data"]>;
  filter: TContainerFilter;
}) {
  if (list.nodes.length === 0) {
    return (
      <EmptyState
        title="No nodes yet"
        actions={<ButtonLink href="/nodes/new">Add node</ButtonLink>}
      >
        Containers are listed from the Docker engines Berth manages. Add a node first.
      </EmptyState>
    );
  }
  const isFiltered = filter.query.trim() !== "" || filter.state !== "all";
  if (isFiltered) {
    const words = filter.query.trim() === "" ? "" : ` matches “${filter.query.trim()}”`;
    const state = filter.state === "all" ? "" : ` in state ${filter.state}`;

    return (
      <EmptyState title="No match">
        No container{words}
        {state}. Search by name, image, node, app, state or the start of an id.
      </EmptyState>
    );
  }

  return (
    <EmptyState title="No containers">
      The nodes that answered report no containers, running or stopped.
    </EmptyState>
  );
}

function describeList(list: NonNullable<TListQuery["data"]>): string {
  const listed = list.nodes.filter((node) => node.outcome === "listed").length;
  const shown = list.isTruncated
    ? `the first ${list.rows.length} of ${plural(list.total, "container")}`
    : plural(list.total, "container");

  const order = list.rows.length > 1 ? ", running first" : "";

  return `${shown} from ${plural(listed, "node")}${order}`;
}

function ContainersPanel({ filter, onChange }: TFilterProps) {
  const list = useContainerList(filter);
  const data = list.data;

  return (
    <Panel
      title="Containers"
      description={data ? describeList(data) : undefined}
      actions={<Freshness list={list} />}
      isFlush
    >
      <Filters filter={filter} onChange={onChange} />
      {list.isRefetchError && data ? (
        <div className="border-b border-line p-3">
          <Notice tone="warn" role="status" title="The list could not be refreshed">
            {errorMessage(list.error)} It shows what was read last, and retries every few seconds.
          </Notice>
        </div>
      ) : null}
      {list.isPending ? (
        <SkeletonRows rows={6} label="Loading containers" />
      ) : !data ? (
        <div className="p-4">
          <QueryErrorNotice
            title="Containers could not be loaded"
            error={list.error}
            onRetry={() => void list.refetch()}
          />
        </div>
      ) : (
        <>
          <NodeNotices list={data} />
          {data.isTruncated ? (
            <div className="border-b border-line p-3">
              <Notice tone="info" role="status">
                Showing the first {data.rows.length} of {data.total} matches. Narrow the search to
                see the rest.
              </Notice>
            </div>
          ) : null}
          {data.rows.length === 0 ? (
            <NoRows list={data} filter={filter} />
          ) : (
            <ContainerRows rows={data.rows} />
          )}
        </>
      )}
    </Panel>
  );
}

type TFilterProps = { filter: TContainerFilter; onChange: (next: TContainerFilter) => void };

/** /containers: every container on every node, searchable, refreshed every few seconds. */
export function ContainersView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filter = filterFromParams(params);

  return (
    <>
      <PageHeader
        title="Containers"
        description="Every container on every node, Berth's and others', read from the engines."
      />
      <PanelBoundary title="Containers">
        <ContainersPanel
          filter={filter}
          onChange={(next) => router.replace(`${pathname}${paramsFromFilter(next)}`)}
        />
      </PanelBoundary>
    </>
  );
}
