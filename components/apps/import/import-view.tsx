"use client";

import { useCan } from "@/components/auth/session";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { BackLink } from "@/components/ui/back-link";
import { Notice } from "@/components/ui/notice";

import { ComposeImport } from "./compose-import";

/** /apps/import: turn the services of a Docker Compose file into apps. */
export function ImportView() {
  const canOperate = useCan("operator");

  return (
    <div className="max-w-6xl">
      <PageHeader
        title="Import Compose"
        description={
          "Paste or upload a Compose file. Each service becomes an app; what Berth cannot run " +
          "as written is listed before anything is imported."
        }
        back={<BackLink href="/apps">Apps</BackLink>}
      />
      {canOperate ? (
        <PanelBoundary title="Compose import">
          <ComposeImport />
        </PanelBoundary>
      ) : (
        <Notice tone="info" title="Importing apps needs the operator role">
          You are signed in as a viewer. Ask an admin to change your role.
        </Notice>
      )}
    </div>
  );
}
