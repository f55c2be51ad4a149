"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { useTRPC } from "@/components/trpc/client";
import { BackLink } from "@/components/ui/back-link";
import { cx } from "@/components/ui/cx";

import { LogsPanel } from "./logs-panel";
import { RetentionForm } from "./retention-form";

const REPLICAS_POLL_MS = 5000;

function ReplicaPicker({ appId, replicaId }: { appId: string; replicaId?: string }) {
  const trpc = useTRPC();
  const replicas = useQuery(
    trpc.app.replicas.queryOptions({ id: appId }, { refetchInterval: REPLICAS_POLL_MS }),
  );
  const choices = [
    { id: undefined, label: "All replicas" },
    ...(replicas.data ?? []).map((replica) => ({
      id: replica.id,
      label: `#${replica.slot}${replica.nodeName ? ` ${replica.nodeName}` : ""}`,
    })),
  ];
  if (replicaId && !choices.some((choice) => choice.id === replicaId)) {
    choices.push({ id: replicaId, label: "a replica that is gone" });
  }

  return (
    <nav aria-label="Which replica" className="mb-4 flex flex-wrap gap-2">
      {choices.map((choice) => (
        <Link
          key={choice.id ?? "all"}
          href={`/apps/${appId}/logs${choice.id ? `?replica=${choice.id}` : ""}`}
          aria-current={choice.id === replicaId ? "page" : undefined}
          className={cx(
            "rounded-full border px-3 py-1 text-xs",
            choice.id === replicaId
              ? "border-accent bg-accent text-accent-fg"
              : "border-line-strong hover:bg-sunken",
          )}
        >
          {choice.label}
        </Link>
      ))}
    </nav>
  );
}

/** /apps/[id]/logs: the app's log, merged or of one replica (?replica=id), and its retention. */
export function AppLogsPage({ appId, replicaId }: { appId: string; replicaId?: string }) {
  const trpc = useTRPC();
  const app = useQuery(trpc.app.get.queryOptions({ id: appId }));
  const name = app.data?.name ?? "App";
  const target = { appId, replicaId };

  return (
    <>
      <PageHeader
        back={<BackLink href={`/apps/${appId}`}>{name}</BackLink>}
        title={`Logs of ${name}`}
      />
      <ReplicaPicker appId={appId} replicaId={replicaId} />
      <div className="space-y-5">
        <PanelBoundary title="Logs">
          <LogsPanel
            key={replicaId ?? "all"}
            target={target}
            title={replicaId ? "Logs of one replica" : "Logs of every replica"}
            description={
              replicaId ? undefined : "Merged in time order; each line names its replica and node."
            }
          />
        </PanelBoundary>
        <PanelBoundary title="Log retention">
          <RetentionForm appId={appId} />
        </PanelBoundary>
      </div>
    </>
  );
}
