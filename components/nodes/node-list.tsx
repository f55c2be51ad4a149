"use client";

import Link from "next/link";

import { formatBytes, formatCpus } from "@/components/format";
import type { TNodeView } from "@/components/trpc/client";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";

import { NodeLabels } from "./node-labels";
import { NodeStatusBadge } from "./node-status-badge";

const HEAD_CLASS = "px-4 py-2 text-left text-xs font-medium tracking-wide text-muted uppercase";
const CELL_CLASS = "px-4 py-2.5 align-top";

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
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="border-b border-line bg-sunken/60">
          <tr>
            <th className={HEAD_CLASS}>Name</th>
            <th className={HEAD_CLASS}>Status</th>
            <th className={HEAD_CLASS}>Endpoint</th>
            <th className={`${HEAD_CLASS} text-right`}>CPUs</th>
            <th className={`${HEAD_CLASS} text-right`}>Memory</th>
            <th className={HEAD_CLASS}>Engine</th>
            <th className={HEAD_CLASS}>Labels</th>
            <th className={HEAD_CLASS}>Heartbeat</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {nodes.map((node) => (
            <tr
              key={node.id}
              data-testid="node-row"
              data-node-name={node.name}
              className="hover:bg-sunken/40"
            >
              <td className={CELL_CLASS}>
                <NodeLink node={node} />
              </td>
              <td className={CELL_CLASS}>
                <NodeStatusBadge status={node.status} />
              </td>
              <td className={`${CELL_CLASS} max-w-64 font-mono text-xs wrap-anywhere text-muted`}>
                {node.endpoint}
              </td>
              <td className={`${CELL_CLASS} text-right tabular-nums`}>{node.cpus}</td>
              <td className={`${CELL_CLASS} text-right whitespace-nowrap tabular-nums`}>
                {formatBytes(node.memoryBytes)}
              </td>
              <td className={`${CELL_CLASS} whitespace-nowrap text-muted`}>{node.engineVersion}</td>
              <td className={`${CELL_CLASS} max-w-72`}>
                <NodeLabels labels={node.labels} />
              </td>
              <td className={`${CELL_CLASS} whitespace-nowrap text-muted tabular-nums`}>
                <RelativeTime at={node.lastHeartbeatAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
