"use client";

import Link from "next/link";

import { CurrentCpu, CurrentMemory } from "@/components/stats/current-stats";
import type { TChartPoint } from "@/components/stats/stat-series";
import { useCurrentStats } from "@/components/stats/use-stat-series";
import type { TAppSummary } from "@/components/trpc/client";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";

import { useAppWatch } from "./live/use-app-watch";
import { ReadyOfDesired } from "./replica-summary";
import { AppStatusBadge } from "./status/app-status-badge";
import { reservationOf } from "./status/app-status";
import { UpdatedAgo } from "./status/updated-ago";
import { useAppList } from "./use-app-list";

function AppLink({ app }: { app: TAppSummary }) {
  return (
    <Link
      href={`/apps/${app.id}`}
      className="font-medium wrap-anywhere text-accent hover:underline"
    >
      {app.name}
    </Link>
  );
}

/** "1 CPU · 512 MiB" reserved in all; each replica's request in the title. */
function Reserved({ app }: { app: TAppSummary }) {
  const reserved = reservationOf(app);

  return (
    <span title={`each replica requests ${reserved.each}`} data-testid="app-reserved">
      {reserved.cpu} · {reserved.memory}
    </span>
  );
}

type TCurrent = Record<string, TChartPoint>;

function AppTable({ apps, current }: { apps: readonly TAppSummary[]; current: TCurrent }) {
  return (
    <Table
      head={
        <>
          <HeadCell>Name</HeadCell>
          <HeadCell>Status</HeadCell>
          <HeadCell>Ready</HeadCell>
          <HeadCell>Reserved</HeadCell>
          <HeadCell className="text-right">CPU</HeadCell>
          <HeadCell className="text-right">Memory</HeadCell>
          <HeadCell className="text-right">Revision</HeadCell>
          <HeadCell>Image</HeadCell>
          <HeadCell>Updated</HeadCell>
        </>
      }
    >
      {apps.map((app) => (
        <tr
          key={app.id}
          data-testid="app-row"
          data-app-name={app.name}
          data-status={app.status}
          className="hover:bg-sunken/40"
        >
          <Cell>
            <AppLink app={app} />
          </Cell>
          <Cell>
            <AppStatusBadge status={app.status} />
          </Cell>
          <Cell>
            <ReadyOfDesired ready={app.readyReplicas} desired={app.desiredReplicas} />
          </Cell>
          <Cell className="whitespace-nowrap tabular-nums">
            <Reserved app={app} />
          </Cell>
          <Cell className="text-right whitespace-nowrap tabular-nums">
            <CurrentCpu point={current[app.id]} />
          </Cell>
          <Cell className="text-right whitespace-nowrap tabular-nums">
            <CurrentMemory point={current[app.id]} />
          </Cell>
          <Cell className="text-right tabular-nums">{app.revision}</Cell>
          <Cell className="max-w-72 font-mono text-xs wrap-anywhere text-muted">{app.image}</Cell>
          <Cell className="whitespace-nowrap text-muted tabular-nums">
            <RelativeTime at={app.updatedAt} />
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

function AppCard({ app, point }: { app: TAppSummary; point: TChartPoint | undefined }) {
  return (
    <li
      data-testid="app-row"
      data-app-name={app.name}
      data-status={app.status}
      className="space-y-2 px-4 py-3"
    >
      <div className="flex items-start justify-between gap-3">
        <AppLink app={app} />
        <span className="flex shrink-0 items-center gap-2">
          <AppStatusBadge status={app.status} />
          <ReadyOfDesired ready={app.readyReplicas} desired={app.desiredReplicas} />
        </span>
      </div>
      <p className="font-mono text-xs wrap-anywhere text-muted">{app.image}</p>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
        <dt className="text-muted">Reserved</dt>
        <dd className="text-right tabular-nums">
          <Reserved app={app} />
        </dd>
        <dt className="text-muted">CPU · memory</dt>
        <dd className="text-right tabular-nums">
          <CurrentCpu point={point} /> · <CurrentMemory point={point} />
        </dd>
        <dt className="text-muted">Revision</dt>
        <dd className="text-right tabular-nums">{app.revision}</dd>
        <dt className="text-muted">Updated</dt>
        <dd className="text-right tabular-nums">
          <RelativeTime at={app.updatedAt} />
        </dd>
      </dl>
    </li>
  );
}

/**
 * Apps as a table on wide screens and as cards on phones; each app is in the page once. Below
 * them, how old the list is; the apps stream keeps it live while the list shows.
 */
export function AppList({ apps }: { apps: readonly TAppSummary[] }) {
  const isWide = useMediaQuery(TABLE_QUERY);
  const { dataUpdatedAt } = useAppList();
  const isLive = useAppWatch();
  const current = useCurrentStats(
    "app",
    apps.map((app) => app.id),
  );

  return (
    <>
      {isWide ? (
        <AppTable apps={apps} current={current} />
      ) : (
        <ul className="divide-y divide-line">
          {apps.map((app) => (
            <AppCard key={app.id} app={app} point={current[app.id]} />
          ))}
        </ul>
      )}
      <p className="border-t border-line px-4 py-2">
        <UpdatedAgo at={dataUpdatedAt} isLive={isLive} />
      </p>
    </>
  );
}
