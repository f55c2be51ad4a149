"use client";

import { useQuery } from "@tanstack/react-query";

import { useCan } from "@/components/auth/session";
import { RecentEventsPanel } from "@/components/events/recent-events-panel";
import { plural } from "@/components/format";
import { PageHeader } from "@/components/layout/page-header";
import { PageSkeleton } from "@/components/layout/page-skeleton";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { StatCharts } from "@/components/stats/stat-charts";
import { StaleHint } from "@/components/live/connection-indicator";
import { type TNodeDetail, useTRPC } from "@/components/trpc/client";
import { errorMessage, trpcCode } from "@/components/trpc/errors";
import { BackLink } from "@/components/ui/back-link";
import { Button, ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";

import { NodeStatusBadge } from "../node-status-badge";
import { ContainerList } from "./container-list";
import { NodeActions } from "./node-actions";
import { NodeFacts } from "./node-facts";
import { NodeLabelsPanel } from "./node-labels-panel";
import { WhatIfPanel } from "./what-if-panel";

/** Containers are read live from the engine; they have no push stream yet, so poll. */
const CONTAINERS_REFRESH_MS = 10_000;
const NODE_EVENTS_LIMIT = 20;

function ContainersPanel({ detail }: { detail: TNodeDetail }) {
  return (
    <Panel
      title="Containers"
      description={
        detail.containersError
          ? undefined
          : `${plural(detail.containers.length, "container")} on this engine, Berth's and others`
      }
      isFlush
    >
      {detail.containersError ? (
        <div className="p-4">
          <Notice tone="warn" role="status" title="The engine did not list its containers">
            {detail.containersError}
          </Notice>
        </div>
      ) : (
        <ContainerList containers={detail.containers} />
      )}
    </Panel>
  );
}

function NodeMissing({ message }: { message: string }) {
  return (
    <>
      <PageHeader title="Node not found" back={<BackLink href="/nodes">Nodes</BackLink>} />
      <div className="rounded-lg border border-line bg-surface">
        <EmptyState
          title="This node does not exist"
          actions={<ButtonLink href="/nodes">See all nodes</ButtonLink>}
        >
          {message}
        </EmptyState>
      </div>
    </>
  );
}

/** /nodes/[id]: one node, its containers and its events, kept live. */
export function NodeDetailView({ id }: { id: string }) {
  const trpc = useTRPC();
  const canOperate = useCan("operator");
  const detail = useQuery(
    trpc.node.get.queryOptions(
      { id },
      {
        refetchInterval: (query) =>
          query.state.status === "error" ? false : CONTAINERS_REFRESH_MS,
      },
    ),
  );

  if (detail.isPending) {
    return <PageSkeleton />;
  }
  if (detail.isError) {
    const code = trpcCode(detail.error);
    if (code === "NOT_FOUND") {
      return <NodeMissing message={errorMessage(detail.error)} />;
    }
    if (code === "BAD_REQUEST") {
      return <NodeMissing message="This address does not name a node. Pick one from the list." />;
    }

    return (
      <Notice
        tone="danger"
        role="alert"
        title="This node could not be loaded"
        actions={<Button onClick={() => void detail.refetch()}>Retry</Button>}
      >
        {errorMessage(detail.error)}
      </Notice>
    );
  }
  const { node } = detail.data;

  return (
    <>
      <PageHeader
        back={<BackLink href="/nodes">Nodes</BackLink>}
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="wrap-anywhere">{node.name}</span>
            <NodeStatusBadge status={node.status} />
            <StaleHint />
          </span>
        }
        description={<span className="font-mono text-xs wrap-anywhere">{node.endpoint}</span>}
        actions={canOperate ? <NodeActions node={node} /> : null}
      />
      <div className="space-y-5">
        {node.status === "unreachable" ? (
          <Notice tone="danger" role="status" title="Berth cannot reach this engine">
            {node.lastError ?? "The engine stopped answering heartbeats."}
          </Notice>
        ) : null}
        <div className="grid gap-5 xl:grid-cols-3">
          <PanelBoundary title="Engine">
            <Panel title="Engine" className="xl:col-span-2">
              <NodeFacts node={node} />
            </Panel>
          </PanelBoundary>
          <PanelBoundary title="Labels">
            <NodeLabelsPanel node={node} />
          </PanelBoundary>
        </div>
        <PanelBoundary title="Resource use">
          <StatCharts scope="node" id={id} title="Resource use of Berth's replicas" />
        </PanelBoundary>
        <PanelBoundary title="Containers">
          <ContainersPanel detail={detail.data} />
        </PanelBoundary>
        <PanelBoundary title="What-if">
          <WhatIfPanel nodeId={id} />
        </PanelBoundary>
        <PanelBoundary title="Node events">
          <RecentEventsPanel title="Events of this node" nodeId={id} limit={NODE_EVENTS_LIMIT} />
        </PanelBoundary>
      </div>
    </>
  );
}
