"use client";

import { useCan } from "@/components/auth/session";
import { plural } from "@/components/format";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { StaleHint } from "@/components/live/connection-indicator";
import { ButtonLink } from "@/components/ui/button";
import { PlusIcon } from "@/components/ui/icons";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";

import { NoNodes } from "./no-nodes";
import { NodeList } from "./node-list";
import { RepackPanel } from "./repack/repack-panel";
import { useNodeList } from "./use-node-list";

function NodesPanel() {
  const nodes = useNodeList();

  const count = nodes.data?.length ?? 0;
  const ready = nodes.data?.filter((node) => node.status === "ready").length ?? 0;

  return (
    <Panel
      title="All nodes"
      description={nodes.data ? `${plural(count, "node")}, ${ready} ready` : undefined}
      actions={<StaleHint />}
      isFlush
    >
      {nodes.isPending ? (
        <SkeletonRows label="Loading nodes" />
      ) : nodes.isError ? (
        <div className="p-4">
          <QueryErrorNotice
            title="Nodes could not be loaded"
            error={nodes.error}
            onRetry={() => void nodes.refetch()}
          />
        </div>
      ) : count === 0 ? (
        <NoNodes hasAddButton={false} />
      ) : (
        <NodeList nodes={nodes.data} />
      )}
    </Panel>
  );
}

/** /nodes: every Docker engine Berth manages, live. */
export function NodesView() {
  const canOperate = useCan("operator");

  return (
    <>
      <PageHeader
        title="Nodes"
        description="Docker engines Berth manages. Status and heartbeats update live."
        actions={
          canOperate ? (
            <ButtonLink href="/nodes/new" variant="primary">
              <PlusIcon className="size-4" />
              Add node
            </ButtonLink>
          ) : null
        }
      />
      <div className="space-y-5">
        <PanelBoundary title="Nodes">
          <NodesPanel />
        </PanelBoundary>
        <PanelBoundary title="Re-pack">
          <RepackPanel />
        </PanelBoundary>
      </div>
    </>
  );
}
