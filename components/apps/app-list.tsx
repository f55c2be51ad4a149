"use client";

import Link from "next/link";

import type { TAppSummary } from "@/components/trpc/client";
import { Cell, HeadCell, Table } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { TABLE_QUERY, useMediaQuery } from "@/components/ui/use-media-query";

import { RunningOfDesired } from "./replica-summary";

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

function AppTable({ apps }: { apps: readonly TAppSummary[] }) {
  return (
    <Table
      head={
        <>
          <HeadCell>Name</HeadCell>
          <HeadCell>Image</HeadCell>
          <HeadCell className="text-right">Desired</HeadCell>
          <HeadCell>Running</HeadCell>
          <HeadCell className="text-right">Revision</HeadCell>
          <HeadCell>Updated</HeadCell>
        </>
      }
    >
      {apps.map((app) => (
        <tr
          key={app.id}
          data-testid="app-row"
          data-app-name={app.name}
          className="hover:bg-sunken/40"
        >
          <Cell>
            <AppLink app={app} />
          </Cell>
          <Cell className="max-w-72 font-mono text-xs wrap-anywhere text-muted">{app.image}</Cell>
          <Cell className="text-right tabular-nums">{app.desiredReplicas}</Cell>
          <Cell>
            <RunningOfDesired counts={app.replicaCounts} desired={app.desiredReplicas} />
          </Cell>
          <Cell className="text-right tabular-nums">{app.revision}</Cell>
          <Cell className="whitespace-nowrap text-muted tabular-nums">
            <RelativeTime at={app.updatedAt} />
          </Cell>
        </tr>
      ))}
    </Table>
  );
}

function AppCard({ app }: { app: TAppSummary }) {
  return (
    <li data-testid="app-row" data-app-name={app.name} className="space-y-2 px-4 py-3">
      <div className="flex items-start justify-between gap-3">
        <AppLink app={app} />
        <RunningOfDesired counts={app.replicaCounts} desired={app.desiredReplicas} />
      </div>
      <p className="font-mono text-xs wrap-anywhere text-muted">{app.image}</p>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
        <dt className="text-muted">Desired replicas</dt>
        <dd className="text-right tabular-nums">{app.desiredReplicas}</dd>
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

/** Apps as a table on wide screens and as cards on phones; each app is in the page once. */
export function AppList({ apps }: { apps: readonly TAppSummary[] }) {
  const isWide = useMediaQuery(TABLE_QUERY);
  if (isWide) {
    return <AppTable apps={apps} />;
  }

  return (
    <ul className="divide-y divide-line">
      {apps.map((app) => (
        <AppCard key={app.id} app={app} />
      ))}
    </ul>
  );
}
