"use client";

import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";

import { useCan } from "@/components/auth/session";
import { ReplicaLogsLink } from "@/components/logs/replica-logs-link";
import { CurrentCpu, CurrentMemory } from "@/components/stats/current-stats";
import { StatCharts } from "@/components/stats/stat-charts";
import type { TChartPoint } from "@/components/stats/stat-series";
import { useCurrentStats } from "@/components/stats/use-stat-series";
import { type TAppView, useTRPC } from "@/components/trpc/client";
import { cx } from "@/components/ui/cx";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { ChevronIcon } from "@/components/ui/icons";
import { Panel } from "@/components/ui/panel";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { SkeletonRows } from "@/components/ui/skeleton";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";

import { HealthBadge } from "../status/app-status-badge";
import type { TReplicaView } from "../status/app-status";
import { APP_FALLBACK_POLL_MS } from "../use-app-list";
import { PlacementExplanation } from "./placement-explanation";
import { ReplicaCounts } from "./replica-counts";
import {
  HealthMessage,
  ReplicaAddresses,
  ReplicaNode,
  ReplicaRestarts,
  ReplicaState,
} from "./replica-facts";
import { ScaleControl } from "./scale-control";

type TListProps = {
  app: TAppView;
  replicas: readonly TReplicaView[];
  expanded: ReadonlySet<string>;
  onToggle: (id: string) => void;
  current?: Record<string, TChartPoint>;
};

function ExpandButton({
  replica,
  isOpen,
  onToggle,
}: {
  replica: TReplicaView;
  isOpen: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      onClick={onToggle}
      aria-expanded={isOpen}
      aria-controls={`placement-${replica.id}`}
      aria-label={`Placement of replica ${replica.slot}`}
      className="inline-flex items-center gap-1 rounded px-1 font-medium tabular-nums hover:bg-sunken"
    >
      <ChevronIcon className={cx("size-3.5 transition-transform", isOpen && "rotate-90")} />#
      {replica.slot}
    </button>
  );
}

/** What went wrong last, or what a starting replica waits on (an image pull's progress). */
function LastError({ replica }: { replica: TReplicaView }) {
  if (replica.progress) {
    return (
      <p className="text-xs wrap-anywhere text-muted" data-testid="replica-progress">
        {replica.progress}
      </p>
    );
  }
  if (!replica.lastError) {
    return null;
  }

  return (
    <p className="text-xs wrap-anywhere text-danger" data-testid="replica-error">
      {replica.lastError}
    </p>
  );
}

function ReplicaTable({ app, replicas, expanded, onToggle, current = {} }: TListProps) {
  const columns = 10;

  return (
    <Table
      head={
        <>
          <HeadCell>Replica</HeadCell>
          <HeadCell className="text-right">Revision</HeadCell>
          <HeadCell>Node</HeadCell>
          <HeadCell>State</HeadCell>
          <HeadCell>Health</HeadCell>
          <HeadCell>Address</HeadCell>
          <HeadCell className="text-right">CPU</HeadCell>
          <HeadCell className="text-right">Memory</HeadCell>
          <HeadCell className="text-right">Restarts</HeadCell>
          <HeadCell>Started</HeadCell>
        </>
      }
    >
      {replicas.map((replica) => {
        const isOpen = expanded.has(replica.id);

        return (
          <Fragment key={replica.id}>
            <tr
              data-testid="replica-row"
              data-slot={replica.slot}
              data-state={replica.state}
              data-node-name={replica.nodeName ?? ""}
              className="hover:bg-sunken/40"
            >
              <Cell className="whitespace-nowrap">
                <ExpandButton
                  replica={replica}
                  isOpen={isOpen}
                  onToggle={() => onToggle(replica.id)}
                />
                <ReplicaLogsLink appId={app.id} replicaId={replica.id} />
              </Cell>
              <Cell className="text-right tabular-nums">{replica.revision}</Cell>
              <Cell>
                <ReplicaNode replica={replica} />
              </Cell>
              <Cell>
                <ReplicaState state={replica.state} />
                <LastError replica={replica} />
              </Cell>
              <Cell className="max-w-60">
                <HealthBadge health={replica.health} message={replica.healthMessage} />
                <HealthMessage replica={replica} />
              </Cell>
              <Cell>
                <ReplicaAddresses replica={replica} />
              </Cell>
              <Cell className="text-right whitespace-nowrap tabular-nums">
                <CurrentCpu point={current[replica.id]} />
              </Cell>
              <Cell className="text-right whitespace-nowrap tabular-nums">
                <CurrentMemory point={current[replica.id]} />
              </Cell>
              <Cell className="text-right">
                <ReplicaRestarts replica={replica} />
              </Cell>
              <Cell className="whitespace-nowrap text-muted tabular-nums">
                <RelativeTime at={replica.startedAt} fallback="not started" />
              </Cell>
            </tr>
            {isOpen ? (
              <tr id={`placement-${replica.id}`} className="bg-sunken/40">
                <td colSpan={columns} className="px-4 py-3">
                  <PlacementExplanation
                    explanation={replica.explanation}
                    isPlaced={replica.nodeId !== null}
                    resources={app.spec.resources}
                  />
                  {replica.state === "running" ? (
                    <div className="mt-3">
                      <StatCharts
                        scope="replica"
                        id={replica.id}
                        title={`Resource use of replica #${replica.slot}`}
                      />
                    </div>
                  ) : null}
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </Table>
  );
}

function ReplicaCard({
  app,
  replica,
  isOpen,
  onToggle,
  point,
}: {
  app: TAppView;
  replica: TReplicaView;
  isOpen: boolean;
  onToggle: () => void;
  point?: TChartPoint;
}) {
  return (
    <li
      data-testid="replica-row"
      data-slot={replica.slot}
      data-state={replica.state}
      data-node-name={replica.nodeName ?? ""}
      className="space-y-2 px-4 py-3"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span>
          <ExpandButton replica={replica} isOpen={isOpen} onToggle={onToggle} />
          <ReplicaLogsLink appId={app.id} replicaId={replica.id} />
        </span>
        <span className="flex flex-wrap items-center gap-2">
          <ReplicaState state={replica.state} />
          <HealthBadge health={replica.health} message={replica.healthMessage} />
        </span>
      </div>
      <HealthMessage replica={replica} />
      <LastError replica={replica} />
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-xs">
        <dt className="text-muted">Node</dt>
        <dd>
          <ReplicaNode replica={replica} />
        </dd>
        <dt className="text-muted">Revision</dt>
        <dd className="tabular-nums">{replica.revision}</dd>
        <dt className="text-muted">Address</dt>
        <dd>
          <ReplicaAddresses replica={replica} />
        </dd>
        <dt className="text-muted">Restarts</dt>
        <dd>
          <ReplicaRestarts replica={replica} />
        </dd>
        <dt className="text-muted">CPU · memory</dt>
        <dd className="tabular-nums">
          <CurrentCpu point={point} /> · <CurrentMemory point={point} />
        </dd>
        <dt className="text-muted">Started</dt>
        <dd className="tabular-nums">
          <RelativeTime at={replica.startedAt} fallback="not started" />
        </dd>
      </dl>
      {isOpen ? (
        <div id={`placement-${replica.id}`} className="rounded-md bg-sunken/60 p-3">
          <PlacementExplanation
            explanation={replica.explanation}
            isPlaced={replica.nodeId !== null}
            resources={app.spec.resources}
          />
          {replica.state === "running" ? (
            <div className="mt-3">
              <StatCharts
                scope="replica"
                id={replica.id}
                title={`Resource use of replica #${replica.slot}`}
              />
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function ReplicaList(props: TListProps) {
  const isWide = useMediaQuery(TABLE_QUERY);
  const current = useCurrentStats(
    "replica",
    props.replicas.map((replica) => replica.id),
  );
  if (isWide) {
    return <ReplicaTable {...props} current={current} />;
  }

  return (
    <ul className="divide-y divide-line" aria-label="Replicas">
      {props.replicas.map((replica) => (
        <ReplicaCard
          key={replica.id}
          app={props.app}
          replica={replica}
          isOpen={props.expanded.has(replica.id)}
          onToggle={() => props.onToggle(replica.id)}
          point={current[replica.id]}
        />
      ))}
    </ul>
  );
}

/**
 * The app's replicas one by one: where each runs, its state, health and address, and, opened,
 * why the scheduler put it there. Counts and the scale control sit above them.
 */
export function ReplicasPanel({ app }: { app: TAppView }) {
  const trpc = useTRPC();
  const canOperate = useCan("operator");
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const replicas = useQuery(
    trpc.app.replicas.queryOptions(
      { id: app.id },
      {
        refetchInterval: (query) => (query.state.status === "error" ? false : APP_FALLBACK_POLL_MS),
      },
    ),
  );
  const toggle = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(id)) {
        next.add(id);
      }

      return next;
    });

  return (
    <Panel
      title="Replicas"
      description="Open a replica to see why the scheduler placed it where it is."
      actions={
        canOperate && !app.isDeleting ? <ScaleControl key={app.revision.number} app={app} /> : null
      }
      isFlush
    >
      <div className="border-b border-line p-4">
        <ReplicaCounts app={app} />
      </div>
      {replicas.isPending ? (
        <SkeletonRows rows={2} label="Loading replicas" />
      ) : replicas.isError ? (
        <div className="p-4">
          <QueryErrorNotice error={replicas.error} onRetry={() => void replicas.refetch()} />
        </div>
      ) : replicas.data.length === 0 ? (
        <p className="px-4 py-3 text-sm text-muted" data-testid="no-replicas">
          {app.spec.replicas === 0
            ? "No replicas: the app is scaled to 0."
            : "No replicas yet: the reconciler adds them within seconds."}
        </p>
      ) : (
        <ReplicaList app={app} replicas={replicas.data} expanded={expanded} onToggle={toggle} />
      )}
    </Panel>
  );
}
