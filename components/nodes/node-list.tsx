"use client";

import Link from "next/link";

import { formatBytes, formatCpus } from "@/components/format";
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

function NodeTable({ nodes }: { nodes: readonly TNodeView[] }) {
  return (
    <Table
      head={
        <>
          <HeadCell>Name</HeadCell>
          <HeadCell>Status</HeadCell>
          <HeadCell>Endpoint</HeadCell>
          <HeadCell className="text-right">CPUs</HeadCell>
          <HeadCell className="text-right">Memory</HeadCell>
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

function NodeCard({ node }: { node: TNodeView }) {
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
  if (isWide) {
    return <NodeTable nodes={nodes} />;
  }

  return (
    <ul className="divide-y divide-line">
      {nodes.map((node) => (
        <NodeCard key={node.id} node={node} />
      ))}
    </ul>
  );
}
