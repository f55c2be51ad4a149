"use client";

import { useCan } from "@/components/auth/session";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { BackLink } from "@/components/ui/back-link";
import { Notice } from "@/components/ui/notice";

import { AppForm } from "./app-form";

/** /apps/new: deploy an app, with a live preview of where its replicas would go. */
export function NewAppView() {
  const canOperate = useCan("operator");

  return (
    <div className="max-w-6xl">
      <PageHeader
        title="Deploy app"
        description="Berth stores the spec as revision 1, then starts the replicas on the nodes."
        back={<BackLink href="/apps">Apps</BackLink>}
      />
      {canOperate ? (
        <PanelBoundary title="Deploy form">
          <AppForm />
        </PanelBoundary>
      ) : (
        <Notice tone="info" title="Deploying apps needs the operator role">
          You are signed in as a viewer. Ask an admin to change your role.
        </Notice>
      )}
    </div>
  );
}
