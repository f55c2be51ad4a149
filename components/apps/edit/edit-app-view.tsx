"use client";

import { useQuery } from "@tanstack/react-query";

import { useCan } from "@/components/auth/session";
import { PageHeader } from "@/components/layout/page-header";
import { PageSkeleton } from "@/components/layout/page-skeleton";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, trpcCode } from "@/components/trpc/errors";
import { BackLink } from "@/components/ui/back-link";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

import { AppForm } from "../app-form";

function LoadFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const code = trpcCode(error);
  const isMissing = code === "NOT_FOUND" || code === "BAD_REQUEST";

  return (
    <>
      <PageHeader title="Edit app" back={<BackLink href="/apps">Apps</BackLink>} />
      <Notice
        tone="danger"
        role="alert"
        title={isMissing ? "This app does not exist" : "This app could not be loaded"}
        actions={isMissing ? null : <Button onClick={onRetry}>Retry</Button>}
      >
        {isMissing ? "Pick an app from the list." : errorMessage(error)}
      </Notice>
    </>
  );
}

/**
 * /apps/[id]/edit: the deploy form filled with the app's current spec (secrets masked). Saving
 * writes a new revision, which the controller rolls out replica by replica.
 */
export function EditAppView({ id }: { id: string }) {
  const trpc = useTRPC();
  const canOperate = useCan("operator");
  // Loaded once: a background refetch must not reset what is being typed.
  const detail = useQuery(
    trpc.app.get.queryOptions({ id }, { staleTime: Infinity, refetchOnWindowFocus: false }),
  );

  if (detail.isPending) {
    return <PageSkeleton />;
  }
  if (detail.isError) {
    return <LoadFailure error={detail.error} onRetry={() => void detail.refetch()} />;
  }
  const app = detail.data;
  const description =
    `Now at revision ${app.revision.number}. ` +
    "Saving stores a new revision and rolls it out replica by replica.";

  return (
    <div className="max-w-6xl">
      <PageHeader
        title={`Edit ${app.name}`}
        description={description}
        back={<BackLink href={`/apps/${app.id}`}>{app.name}</BackLink>}
      />
      {canOperate ? (
        <PanelBoundary title="Edit form">
          <AppForm key={app.revision.number} app={app} />
        </PanelBoundary>
      ) : (
        <Notice tone="info" title="Updating apps needs the operator role">
          You are signed in as a viewer. Ask an admin to change your role.
        </Notice>
      )}
    </div>
  );
}
