"use client";

import Link from "next/link";

import { formatBytes, formatCpus } from "@/components/format";
import { CurrentCpu, CurrentMemory } from "@/components/stats/current-stats";
import type { TChartPoint } from "@/components/stats/stat-series";
import { useCurrentStats } from "@/components/stats/use-stat-series";
import type { TNodeView } from "@/components/trpc/client";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";

import { NodeLabels } from "./node-labels";
import { NodeStatusBadge } from "./node-status-badge";

function NodeLink({ node }: { node: TNodeView }) {
  return (
    <Link
      href={`/nodes/${node.id}`}
      className="font-medium wrap-anywhere text-accent hover:underline"
    >
      {node.name}
    </Link>
  );
}

type TCurrent = Record<string, TChartPoint>;

function NodeTable({ nodes, current }: { nodes: readonly TNodeView[]; current: TCurrent }) {
  return (
    <Table
      head={
        <>
          <HeadCell>Name</HeadCell>
          <HeadCell>Status</HeadCell>
          <HeadCell>Endpoint</HeadCell>
          <HeadCell className="text-right">CPUs</HeadCell>
          <HeadCell className="text-right">Memory</HeadCell>
          <HeadCell className="text-right">CPU used</HeadCell>
          <HeadCell className="text-right">Memory used</HeadCell>
          <HeadCell>Engine</HeadCell>
          <HeadCell>Labels</HeadCell>
          <HeadCell>Heartbeat</HeadCell>
        </>
      }
    >
      {nodes.map((node) => (
        <tr
          key={node.id}
          data-testid="node-row"
          data-node-name={node.name}
          className="hover:bg-sunken/40"
        >
          <Cell>
            <NodeLink node={node} />
          </Cell>
          <Cell>
            <NodeStatusBadge status={node.status} />
          </Cell>
          <Cell className="max-w-64 font-mono text-xs wrap-anywhere text-muted">
            {node.endpoint}
          </Cell>
          <Cell className="text-right tabular-nums">{node.cpus}</Cell>
          <Cell className="text-right whitespace-nowrap tabular-nums">
            {formatBytes(node.memoryBytes)}
          </Cell>
          <Cell className="text-right whitespace-nowrap tabular-nums">
            <CurrentCpu point={current[node.id]} />
          </Cell>
          <Cell className="text-right whitespace-nowrap tabular-nums">
            <CurrentMemory point={current[node.id]} />
          </Cell>
          <Cell className="whitespace-nowrap text-muted">{node.engineVersion}</Cell>
          <Cell className="max-w-72">
            <NodeLabels labels={node.labels} />
          </Cell>
          <Cell className="whitespace-nowrap text-muted tabular-nums">
            <RelativeTime at={node.lastHeartbeatAt} />
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

function NodeCard({ node, point }: { node: TNodeView; point: TChartPoint | undefined }) {
  return (
    <li data-testid="node-row" data-node-name={node.name} className="space-y-2 px-4 py-3">
      <div className="flex items-start justify-between gap-3">
        <NodeLink node={node} />
        <NodeStatusBadge status={node.status} />
      </div>
      <p className="font-mono text-xs wrap-anywhere text-muted">{node.endpoint}</p>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
        <dt className="text-muted">Capacity</dt>
        <dd className="text-right tabular-nums">
          {formatCpus(node.cpus)} · {formatBytes(node.memoryBytes)}
        </dd>
        <dt className="text-muted">Used</dt>
        <dd className="text-right tabular-nums">
          <CurrentCpu point={point} /> · <CurrentMemory point={point} />
        </dd>
        <dt className="text-muted">Engine</dt>
        <dd className="text-right">{node.engineVersion || "—"}</dd>
        <dt className="text-muted">Heartbeat</dt>
        <dd className="text-right tabular-nums">
          <RelativeTime at={node.lastHeartbeatAt} />
        </dd>
      </dl>
      <NodeLabels labels={node.labels} />
    </li>
  );
}

/** Nodes as a table on wide screens and as cards on phones; each node is in the page once. */
export function NodeList({ nodes }: { nodes: readonly TNodeView[] }) {
  const isWide = useMediaQuery(TABLE_QUERY);
  const current = useCurrentStats(
    "node",
    nodes.map((node) => node.id),
  );
  if (isWide) {
    return <NodeTable nodes={nodes} current={current} />;
  }

  return (
    <ul className="divide-y divide-line">
      {nodes.map((node) => (
        <NodeCard key={node.id} node={node} point={current[node.id]} />
      ))}
    </ul>
  );
}
