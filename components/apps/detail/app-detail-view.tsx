"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

import { useCan } from "@/components/auth/session";
import { RecentEventsPanel } from "@/components/events/recent-events-panel";
import { GatewayPanel } from "@/components/gateway/gateway-panel";
import { LogsPanel } from "@/components/logs/logs-panel";
import { PageHeader } from "@/components/layout/page-header";
import { PageSkeleton } from "@/components/layout/page-skeleton";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { StatCharts } from "@/components/stats/stat-charts";
import { useToast } from "@/components/providers/toast-provider";
import { type TAppView, useTRPC } from "@/components/trpc/client";
import { errorMessage, trpcCode } from "@/components/trpc/errors";
import { BackLink } from "@/components/ui/back-link";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";

import { useAppWatch } from "../live/use-app-watch";
import { ReadyOfDesired } from "../replica-summary";
import { AppStatusBadge } from "../status/app-status-badge";
import { UpdatedAgo } from "../status/updated-ago";
import { APP_FALLBACK_POLL_MS } from "../use-app-list";
import { DeleteAppButton } from "./delete-app-button";
import { ReplicasPanel } from "./replicas-panel";
import { RevisionsPanel } from "./revisions-panel";
import { RolloutPanel } from "./rollout-panel";
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

/**
 * Once the page has shown the app, NOT_FOUND means it was deleted meanwhile (by this page's
 * Delete or elsewhere): go back to the list and say so, once.
 */
function useLeaveWhenGone(app: TAppView | undefined, isGone: boolean) {
  const router = useRouter();
  const notify = useToast();
  const hasLeft = useRef(false);
  const name = app?.name;

  useEffect(() => {
    if (!isGone || name === undefined || hasLeft.current) {
      return;
    }
    hasLeft.current = true;
    notify("success", `App ${name} was deleted.`);
    router.replace("/apps");
  }, [isGone, name, notify, router]);
}

function AppTitle({ app }: { app: TAppView }) {
  return (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <span className="wrap-anywhere">{app.name}</span>
      <AppStatusBadge status={app.status} />
      <ReadyOfDesired ready={app.readyReplicas} desired={app.spec.replicas} />
      <Badge tone="neutral" data-testid="app-revision">
        revision {app.revision.number}
      </Badge>
    </span>
  );
}

function AppPanels({ app }: { app: TAppView }) {
  return (
    <div className="space-y-5">
      {app.isDeleting ? (
        <Notice tone="info" role="status" title="This app is being deleted">
          The reconciler is stopping its replicas; the app disappears once the last one is gone.
        </Notice>
      ) : null}
      <PanelBoundary title="Rollout">
        <RolloutPanel app={app} />
      </PanelBoundary>
      <PanelBoundary title="Replicas">
        <ReplicasPanel app={app} />
      </PanelBoundary>
      <PanelBoundary title="Resource use">
        <StatCharts scope="app" id={app.id} />
      </PanelBoundary>
      <PanelBoundary title="Logs">
        <LogsPanel target={{ appId: app.id }} fullPageHref={`/apps/${app.id}/logs`} />
      </PanelBoundary>
      <PanelBoundary title="Gateway">
        <GatewayPanel app={app} />
      </PanelBoundary>
      <div className="grid gap-5 xl:grid-cols-2 xl:items-start">
        <PanelBoundary title="Spec">
          <Panel title="Spec" description={`Revision ${app.revision.number}, secrets masked`}>
            <SpecSummary spec={app.spec} />
          </Panel>
        </PanelBoundary>
        <PanelBoundary title="Revisions">
          <RevisionsPanel app={app} />
        </PanelBoundary>
      </div>
      <PanelBoundary title="App events">
        <RecentEventsPanel title="Events of this app" appId={app.id} limit={APP_EVENTS_LIMIT} />
      </PanelBoundary>
    </div>
  );
}

/**
 * /apps/[id]: one app's status, rollout, replicas, resource use, logs, gateway, spec,
 * revisions and events, kept live.
 */
export function AppDetailView({ id }: { id: string }) {
  const trpc = useTRPC();
  const canOperate = useCan("operator");
  const isLive = useAppWatch();
  const detail = useQuery(
    trpc.app.get.queryOptions(
      { id },
      {
        refetchInterval: (query) => (query.state.status === "error" ? false : APP_FALLBACK_POLL_MS),
      },
    ),
  );
  const isGone = detail.isError && trpcCode(detail.error) === "NOT_FOUND";
  useLeaveWhenGone(detail.data, isGone && detail.data !== undefined);

  if (detail.isPending) {
    return <PageSkeleton />;
  }
  if (detail.isError && (isGone || detail.data === undefined)) {
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
        title={<AppTitle app={app} />}
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-mono text-xs wrap-anywhere">{app.spec.image}</span>
            <UpdatedAgo at={detail.dataUpdatedAt} isLive={isLive} />
          </span>
        }
        actions={
          canOperate && !app.isDeleting ? (
            <span className="flex gap-2">
              <ButtonLink href={`/apps/${app.id}/edit`}>Edit</ButtonLink>
              <DeleteAppButton app={app} />
            </span>
          ) : null
        }
      />
      {detail.isError ? (
        <Notice tone="warn" role="status" title="Showing the last answer" className="mb-5">
          The latest refresh failed: {errorMessage(detail.error)}
        </Notice>
      ) : null}
      <AppPanels app={app} />
    </>
  );
}
