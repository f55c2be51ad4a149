"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { plural } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { SkeletonRows } from "@/components/ui/skeleton";

import { type TWhatIf, whatIfSummary } from "./what-if-model";

type TReplicaName = { appName: string; replicaId: string; slot: number };

function ReplicaName({ appName, replicaId, slot }: TReplicaName) {
  return (
    <span className="min-w-0 flex-1 basis-40">
      <span className="font-medium wrap-anywhere">{appName}</span>{" "}
      <span className="text-xs text-muted" title={replicaId}>
        replica {slot}
      </span>
    </span>
  );
}

function WhatIfResult({ result }: { result: TWhatIf }) {
  const unknown = result.unknownApps.length;

  return (
    <div data-testid="what-if-result">
      <p className="px-4 py-4 text-sm" data-testid="what-if-summary">
        {whatIfSummary(result)}
      </p>
      {unknown > 0 ? (
        <div className="px-4 pb-4">
          <Notice tone="warn" role="status">
            Replicas of {plural(unknown, "app")} without a current spec were left out: the scheduler
            does not know their rules.
          </Notice>
        </div>
      ) : null}
      {result.displaced === 0 ? null : (
        <ul className="divide-y divide-line border-t border-line" aria-label="Displaced replicas">
          {result.moves.map((move) => (
            <li
              key={move.replicaId}
              data-testid="what-if-move"
              data-node-name={move.toNodeName}
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm"
            >
              <ReplicaName appName={move.appName} replicaId={move.replicaId} slot={move.slot} />
              <span className="min-w-0 wrap-anywhere">
                <span className="text-muted">→</span> {move.toNodeName}
              </span>
            </li>
          ))}
          {result.unplaced.map((replica) => (
            <li
              key={replica.replicaId}
              data-testid="what-if-unplaced"
              className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm"
            >
              <ReplicaName
                appName={replica.appName}
                replicaId={replica.replicaId}
                slot={replica.slot}
              />
              <Badge tone="danger" hasDot>
                Not placed
              </Badge>
              <span className="basis-full text-xs break-words text-danger">{replica.message}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * "If this node died now": where the scheduler would put each of its replicas. Runs only when
 * asked, since it plans the whole cluster; nothing is moved.
 */
export function WhatIfPanel({ nodeId }: { nodeId: string }) {
  const trpc = useTRPC();
  const [isAsked, setIsAsked] = useState(false);
  const result = useQuery(
    trpc.app.whatIf.queryOptions({ nodeId, seed: 0 }, { enabled: isAsked, staleTime: 0 }),
  );

  return (
    <Panel
      title="If this node died now"
      description="Where its replicas would go, as the scheduler sees the cluster now."
      actions={
        <Button
          onClick={() => (isAsked ? void result.refetch() : setIsAsked(true))}
          isBusy={isAsked && result.isFetching}
        >
          {result.data ? "Simulate again" : "Simulate loss"}
        </Button>
      }
      isFlush
    >
      {!isAsked ? (
        <p className="p-4 text-sm text-muted">
          Nothing is moved: the simulation only plans. It runs when you ask.
        </p>
      ) : result.isPending ? (
        <SkeletonRows rows={2} label="Simulating" />
      ) : result.isError ? (
        <div className="p-4">
          <QueryErrorNotice
            title="The loss could not be simulated"
            error={result.error}
            onRetry={() => void result.refetch()}
          />
        </div>
      ) : (
        <WhatIfResult result={result.data} />
      )}
    </Panel>
  );
}
