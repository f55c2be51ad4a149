import Link from "next/link";
import type { ReactNode } from "react";

import { formatBytes, formatCpus, plural } from "@/components/format";
import { cx } from "@/components/ui/cx";

import type { TNodeSummary } from "./node-summary";

const STATUS_CARDS = [
  { status: "ready", label: "Ready", tone: "text-ok", bar: "bg-ok" },
  { status: "unreachable", label: "Unreachable", tone: "text-danger", bar: "bg-danger" },
  { status: "cordoned", label: "Cordoned", tone: "text-warn", bar: "bg-warn" },
  { status: "draining", label: "Draining", tone: "text-warn", bar: "bg-warn" },
] as const;

/** One card per node status; a non-zero problem count is coloured so it catches the eye. */
export function StatusCards({ summary }: { summary: TNodeSummary }) {
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {STATUS_CARDS.map(({ status, label, tone, bar }) => {
        const count = summary.counts[status];

        return (
          <Link
            key={status}
            href="/nodes"
            data-testid={`node-count-${status}`}
            className={cx(
              "relative overflow-hidden rounded-lg border border-line bg-surface p-4 shadow-xs",
              "hover:border-line-strong",
            )}
          >
            <span
              aria-hidden="true"
              className={cx("absolute inset-y-0 left-0 w-1", count > 0 ? bar : "bg-line")}
            />
            <span className="block text-xs font-medium text-muted">{label}</span>
            <span
              className={cx(
                "mt-1 block text-2xl font-semibold tabular-nums",
                count > 0 ? tone : "text-faint",
              )}
            >
              {count}
            </span>
            <span className="sr-only"> {plural(count, "node")}</span>
          </Link>
        );
      })}
    </div>
  );
}

function CapacityFigure({
  label,
  testId,
  children,
}: {
  label: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** Capacity that new work can use: CPUs and memory of ready nodes. */
export function CapacityCard({ summary }: { summary: TNodeSummary }) {
  return (
    <section
      aria-label="Ready capacity"
      className="rounded-lg border border-line bg-surface p-4 shadow-xs"
    >
      <h2 className="text-xs font-medium text-muted">Ready capacity</h2>
      <dl className="mt-2 grid grid-cols-3 gap-4">
        <CapacityFigure label="CPUs" testId="ready-cpus">
          {formatCpus(summary.readyCpus)}
        </CapacityFigure>
        <CapacityFigure label="Memory" testId="ready-memory">
          {formatBytes(summary.readyMemoryBytes)}
        </CapacityFigure>
        <CapacityFigure label="Nodes">
          {summary.counts.ready}
          <span className="text-sm font-normal text-muted"> / {summary.total}</span>
        </CapacityFigure>
      </dl>
    </section>
  );
}
