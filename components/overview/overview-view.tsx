"use client";

import { RecentEventsPanel } from "@/components/events/recent-events-panel";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { StaleHint } from "@/components/live/connection-indicator";
import { NoNodes } from "@/components/nodes/no-nodes";
import { useNodeList } from "@/components/nodes/use-node-list";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { Skeleton } from "@/components/ui/skeleton";

import { summariseNodes } from "./node-summary";
import { CapacityCard, StatusCards } from "./status-cards";

const RECENT_EVENTS = 10;

function FleetSummary() {
  const nodes = useNodeList();

  if (nodes.isPending) {
    return (
      <div
        role="status"
        aria-label="Loading nodes"
        className="grid grid-cols-2 gap-3 lg:grid-cols-4"
      >
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-20" />
        ))}
      </div>
    );
  }
  if (nodes.isError) {
    return (
      <QueryErrorNotice
        title="Nodes could not be loaded"
        error={nodes.error}
        onRetry={() => void nodes.refetch()}
      />
    );
  }
  if (nodes.data.length === 0) {
    return (
      <div className="rounded-lg border border-line bg-surface shadow-xs">
        <NoNodes />
      </div>
    );
  }
  const summary = summariseNodes(nodes.data);

  return (
    <div className="space-y-3">
      <StatusCards summary={summary} />
      <CapacityCard summary={summary} />
    </div>
  );
}

/** /: the fleet at a glance and what just happened. */
export function OverviewView() {
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            Overview <StaleHint />
          </span>
        }
        description="Your Docker hosts at a glance, updated live."
      />
      <div className="space-y-5">
        <PanelBoundary title="Node status">
          <FleetSummary />
        </PanelBoundary>
        <PanelBoundary title="Recent events">
          <RecentEventsPanel limit={RECENT_EVENTS} />
        </PanelBoundary>
      </div>
    </>
  );
}
