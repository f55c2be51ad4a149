"use client";

import { useState } from "react";

import { uniquePorts } from "@/components/format";
import type { TContainerView } from "@/components/trpc/client";
import { Badge, type TTone } from "@/components/ui/badge";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { inputClass } from "@/components/ui/field";
import { SearchIcon } from "@/components/ui/icons";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";

import { filterContainers, sortContainers } from "./container-filter";

const STATE_TONES: Record<string, TTone> = {
  running: "ok",
  restarting: "warn",
  paused: "warn",
  removing: "warn",
  dead: "danger",
};

function StateBadge({ state }: { state: string }) {
  return (
    <Badge tone={STATE_TONES[state] ?? "neutral"} hasDot>
      {state}
    </Badge>
  );
}

function BerthTag() {
  return (
    <Badge tone="info" className="ml-1.5">
      Berth
    </Badge>
  );
}

function Ports({ container }: { container: TContainerView }) {
  const ports = uniquePorts(container.ports);
  if (ports.length === 0) {
    return <span className="text-faint">—</span>;
  }

  return (
    <ul className="space-y-0.5 font-mono text-xs">
      {ports.map((port) => (
        <li key={port} className="wrap-anywhere">
          {port}
        </li>
      ))}
    </ul>
  );
}

function ContainerTable({ containers }: { containers: readonly TContainerView[] }) {
  return (
    <Table
      head={
        <>
          <HeadCell>Name</HeadCell>
          <HeadCell>Image</HeadCell>
          <HeadCell>State</HeadCell>
          <HeadCell>Status</HeadCell>
          <HeadCell>Ports</HeadCell>
        </>
      }
    >
      {containers.map((container) => (
        <tr key={container.id} data-testid="container-row" data-container-name={container.name}>
          <Cell className="font-medium wrap-anywhere">
            {container.name}
            {container.isBerth ? <BerthTag /> : null}
          </Cell>
          <Cell className="max-w-64 font-mono text-xs wrap-anywhere text-muted">
            {container.image}
          </Cell>
          <Cell>
            <StateBadge state={container.state} />
          </Cell>
          <Cell className="text-muted">{container.status}</Cell>
          <Cell>
            <Ports container={container} />
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

function ContainerCards({ containers }: { containers: readonly TContainerView[] }) {
  return (
    <ul className="divide-y divide-line">
      {containers.map((container) => (
        <li
          key={container.id}
          data-testid="container-row"
          data-container-name={container.name}
          className="space-y-1.5 px-4 py-3 text-sm"
        >
          <div className="flex items-start justify-between gap-3">
            <p className="min-w-0 font-medium wrap-anywhere">
              {container.name}
              {container.isBerth ? <BerthTag /> : null}
            </p>
            <StateBadge state={container.state} />
          </div>
          <p className="font-mono text-xs wrap-anywhere text-muted">{container.image}</p>
          <p className="text-xs text-muted">{container.status}</p>
          <Ports container={container} />
        </li>
      ))}
    </ul>
  );
}

/** Every container on the node, Berth's and others', with a search by name or image. */
export function ContainerList({ containers }: { containers: readonly TContainerView[] }) {
  const [query, setQuery] = useState("");
  const isWide = useMediaQuery(TABLE_QUERY);
  const shown = sortContainers(filterContainers(containers, query));

  return (
    <div>
      <div className="border-b border-line p-3">
        <div className="relative max-w-sm">
          <SearchIcon className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-faint" />
          <input
            type="search"
            aria-label="Filter containers by name or image"
            placeholder="Filter by name or image"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            className={`${inputClass} pl-8`}
          />
        </div>
      </div>
      {shown.length === 0 ? (
        <EmptyState title={containers.length === 0 ? "No containers on this node" : "No match"}>
          {containers.length === 0
            ? "The engine reports no containers, running or stopped."
            : `No container name or image contains “${query.trim()}”.`}
        </EmptyState>
      ) : isWide ? (
        <ContainerTable containers={shown} />
      ) : (
        <ContainerCards containers={shown} />
      )}
    </div>
  );
}
