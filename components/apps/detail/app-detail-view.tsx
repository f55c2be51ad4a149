"use client";

import { useQuery } from "@tanstack/react-query";

import { useCan } from "@/components/auth/session";
import { RecentEventsPanel } from "@/components/events/recent-events-panel";
import { PageHeader } from "@/components/layout/page-header";
import { PageSkeleton } from "@/components/layout/page-skeleton";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, trpcCode } from "@/components/trpc/errors";
import { BackLink } from "@/components/ui/back-link";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";

import { APP_REFRESH_MS } from "../use-app-list";
import { ReplicaCounts } from "./replica-counts";
import { RevisionsPanel } from "./revisions-panel";
import { ScaleControl } from "./scale-control";
import { SpecSummary } from "./spec-summary";

const APP_EVENTS_LIMIT = 20;

function AppMissing({ message }: { message: string }) {
  return (
    <>
      <PageHeader title="App not found" back={<BackLink href="/apps">Apps</BackLink>} />
      <div className="rounded-lg border border-line bg-surface">
        <EmptyState
          title="This app does not exist"
          actions={<ButtonLink href="/apps">See all apps</ButtonLink>}
        >
          {message}
        </EmptyState>
      </div>
    </>
  );
}

/** /apps/[id]: one app's replicas, revisions, spec and events; polled, as apps are not pushed. */
export function AppDetailView({ id }: { id: string }) {
  const trpc = useTRPC();
  const canOperate = useCan("operator");
  const detail = useQuery(
    trpc.app.get.queryOptions(
      { id },
      {
        refetchInterval: (query) => (query.state.status === "error" ? false : APP_REFRESH_MS),
      },
    ),
  );

  if (detail.isPending) {
    return <PageSkeleton />;
  }
  if (detail.isError) {
    const code = trpcCode(detail.error);
    if (code === "NOT_FOUND") {
      return <AppMissing message={errorMessage(detail.error)} />;
    }
    if (code === "BAD_REQUEST") {
      return <AppMissing message="This address does not name an app. Pick one from the list." />;
    }

    return (
      <Notice
        tone="danger"
        role="alert"
        title="This app could not be loaded"
        actions={<Button onClick={() => void detail.refetch()}>Retry</Button>}
      >
        {errorMessage(detail.error)}
      </Notice>
    );
  }
  const app = detail.data;

  return (
    <>
      <PageHeader
        back={<BackLink href="/apps">Apps</BackLink>}
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="wrap-anywhere">{app.name}</span>
            <Badge tone="neutral" data-testid="app-revision">
              revision {app.revision.number}
            </Badge>
          </span>
        }
        description={<span className="font-mono text-xs wrap-anywhere">{app.spec.image}</span>}
      />
      <div className="space-y-5">
        <div className="grid gap-5 xl:grid-cols-3 xl:items-start">
          <PanelBoundary title="Replicas">
            <Panel
              title="Replicas"
              description="Counts by state; the reconciler converges them on the desired count."
              actions={canOperate ? <ScaleControl key={app.revision.number} app={app} /> : null}
              className="xl:col-span-2"
            >
              <ReplicaCounts app={app} />
            </Panel>
          </PanelBoundary>
          <PanelBoundary title="Spec">
            <Panel title="Spec" description={`Revision ${app.revision.number}, secrets masked`}>
              <SpecSummary spec={app.spec} />
            </Panel>
          </PanelBoundary>
        </div>
        <PanelBoundary title="Revisions">
          <RevisionsPanel app={app} />
        </PanelBoundary>
        <PanelBoundary title="App events">
          <RecentEventsPanel title="Events of this app" appId={id} limit={APP_EVENTS_LIMIT} />
        </PanelBoundary>
      </div>
    </>
  );
}
