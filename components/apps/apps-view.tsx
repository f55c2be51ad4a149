"use client";

import { useCan } from "@/components/auth/session";
import { plural } from "@/components/format";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PlusIcon } from "@/components/ui/icons";
import { Panel } from "@/components/ui/panel";
import { QueryList } from "@/components/ui/query-list";

import { AppList } from "./app-list";
import { runningOf } from "./replica-summary";
import { useAppList } from "./use-app-list";

function DeployButton() {
  return (
    <ButtonLink href="/apps/new" variant="primary">
      <PlusIcon className="size-4" />
      Deploy app
    </ButtonLink>
  );
}

function NoApps() {
  const canOperate = useCan("operator");

  return (
    <EmptyState title="No apps yet" actions={canOperate ? <DeployButton /> : null}>
      <p>
        An app is an image Berth runs as replicas across the nodes, placed by the scheduler and kept
        running by the reconciler.
      </p>
      {canOperate ? null : <p className="mt-3">Deploying needs the operator role; ask an admin.</p>}
    </EmptyState>
  );
}

function AppsPanel() {
  const apps = useAppList();

  const count = apps.data?.length ?? 0;
  const running = apps.data?.filter((app) => runningOf(app.replicaCounts) === app.desiredReplicas);

  return (
    <Panel
      title="All apps"
      description={
        apps.data ? `${plural(count, "app")}, ${running?.length ?? 0} fully running` : undefined
      }
      isFlush
    >
      <QueryList
        query={apps}
        loadingLabel="Loading apps"
        errorTitle="Apps could not be loaded"
        empty={<NoApps />}
      >
        {(items) => <AppList apps={items} />}
      </QueryList>
    </Panel>
  );
}

/** /apps: every app with its replicas, polled. */
export function AppsView() {
  const canOperate = useCan("operator");
  // The empty state has its own "Deploy app"; the header's shows once there is a list.
  const hasApps = (useAppList().data?.length ?? 0) > 0;

  return (
    <>
      <PageHeader
        title="Apps"
        description={
          "Images Berth runs as replicas across the nodes. Counts refresh every few seconds."
        }
        actions={
          canOperate ? (
            <>
              <ButtonLink href="/apps/import">Import Compose</ButtonLink>
              {hasApps ? <DeployButton /> : null}
            </>
          ) : null
        }
      />
      <PanelBoundary title="Apps">
        <AppsPanel />
      </PanelBoundary>
    </>
  );
}
