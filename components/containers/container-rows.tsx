"use client";

import Link from "next/link";

import type { TRouterOutputs } from "@/components/trpc/client";
import { CurrentCpu, CurrentMemory } from "@/components/stats/current-stats";
import { Badge, type TTone } from "@/components/ui/badge";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";
import { formatPublishedPort } from "@/server/containers/ports";

export type TContainerRowView = TRouterOutputs["container"]["list"]["rows"][number];

const STATE_TONES: Record<string, TTone> = {
  running: "ok",
  restarting: "warn",
  paused: "warn",
  removing: "warn",
  dead: "danger",
};

function StateBadge({ state }: { state: string }) {
  return (
    <Badge tone={STATE_TONES[state] ?? "neutral"} hasDot data-testid="container-state">
      {state}
    </Badge>
  );
}

function NodeLink({ row }: { row: TContainerRowView }) {
  return (
    <Link href={`/nodes/${row.nodeId}`} className="wrap-anywhere hover:text-accent hover:underline">
      {row.nodeName}
    </Link>
  );
}

/** The app a Berth replica belongs to, linked; a tag when the app is another Berth's. */
function AppCell({ row }: { row: TContainerRowView }) {
  if (row.app) {
    return (
      <Link
        href={`/apps/${row.app.id}`}
        data-testid="container-app"
        className="font-medium wrap-anywhere text-accent hover:underline"
      >
        {row.app.name}
      </Link>
    );
  }
  if (row.isBerth) {
    return (
      <Badge tone="info" className="whitespace-normal">
        Berth, another installation
      </Badge>
    );
  }

  return <span className="text-faint">—</span>;
}

function Ports({ row }: { row: TContainerRowView }) {
  if (row.ports.length === 0) {
    return <span className="text-faint">—</span>;
  }

  return (
    <ul className="space-y-0.5 font-mono text-xs">
      {row.ports.map((port) => {
        const text = formatPublishedPort(port);

        return (
          <li key={text} className="wrap-anywhere">
            {text}
          </li>
        );
      })}
    </ul>
  );
}

function Name({ row }: { row: TContainerRowView }) {
  return (
    <span className="font-medium wrap-anywhere" title={row.id}>
      {row.name}
    </span>
  );
}

function ContainerTable({ rows }: { rows: readonly TContainerRowView[] }) {
  return (
    <Table
      head={
        <>
          <HeadCell>Node</HeadCell>
          <HeadCell>Name</HeadCell>
          <HeadCell>Image</HeadCell>
          <HeadCell>State</HeadCell>
          <HeadCell>Status</HeadCell>
          <HeadCell>Ports</HeadCell>
          <HeadCell className="text-right">CPU</HeadCell>
          <HeadCell className="text-right">Memory</HeadCell>
          <HeadCell>App</HeadCell>
        </>
      }
    >
      {rows.map((row) => (
        <tr
          key={`${row.nodeId}/${row.id}`}
          data-testid="container-row"
          data-container-name={row.name}
          data-node-name={row.nodeName}
          className="hover:bg-sunken/40"
        >
          <Cell className="text-muted">
            <NodeLink row={row} />
          </Cell>
          <Cell>
            <Name row={row} />
            <p className="font-mono text-[11px] text-faint">{row.shortId}</p>
          </Cell>
          <Cell className="max-w-64 font-mono text-xs wrap-anywhere text-muted">{row.image}</Cell>
          <Cell>
            <StateBadge state={row.state} />
          </Cell>
          <Cell className="text-muted">
            {row.status}
            <p className="text-xs text-faint">
              created <RelativeTime at={row.createdAt} />
            </p>
          </Cell>
          <Cell>
            <Ports row={row} />
          </Cell>
          <Cell className="text-right whitespace-nowrap tabular-nums">
            <CurrentCpu point={row.usage} missingNote={row.usageNote ?? undefined} />
          </Cell>
          <Cell className="text-right whitespace-nowrap tabular-nums">
            <CurrentMemory point={row.usage} missingNote={row.usageNote ?? undefined} />
          </Cell>
          <Cell>
            <AppCell row={row} />
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

/** A card's CPU and memory line; the dashes say why on hover. */
function CardUsage({ row }: { row: TContainerRowView }) {
  const note = row.usageNote ?? undefined;

  return (
    <p className="text-xs text-muted tabular-nums">
      CPU <CurrentCpu point={row.usage} missingNote={note} /> · memory{" "}
      <CurrentMemory point={row.usage} missingNote={note} />
    </p>
  );
}

function ContainerCard({ row }: { row: TContainerRowView }) {
  return (
    <li
      data-testid="container-row"
      data-container-name={row.name}
      data-node-name={row.nodeName}
      className="min-w-0 space-y-1.5 px-4 py-3 text-sm"
    >
      <div className="flex items-start justify-between gap-3">
        <p className="min-w-0">
          <Name row={row} />
        </p>
        <StateBadge state={row.state} />
      </div>
      <p className="font-mono text-xs wrap-anywhere text-muted">{row.image}</p>
      <p className="text-xs wrap-anywhere text-muted">
        on <NodeLink row={row} /> · {row.status}
      </p>
      {row.ports.length > 0 ? <Ports row={row} /> : null}
      {row.state === "running" ? <CardUsage row={row} /> : null}
      {row.app || row.isBerth ? (
        <p className="text-xs">
          <span className="text-muted">App </span>
          <AppCell row={row} />
        </p>
      ) : null}
    </li>
  );
}

/** Containers as a table on wide screens and as cards on phones; each is in the page once. */
export function ContainerRows({ rows }: { rows: readonly TContainerRowView[] }) {
  const isWide = useMediaQuery(TABLE_QUERY);
  if (isWide) {
    return <ContainerTable rows={rows} />;
  }

  return (
    <ul className="divide-y divide-line">
      {rows.map((row) => (
        <ContainerCard key={`${row.nodeId}/${row.id}`} row={row} />
      ))}
    </ul>
  );
}
