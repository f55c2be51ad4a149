"use client";

import { formatBytes } from "@/components/format";

import { formatCpuPercent } from "./format-stats";
import type { TChartPoint } from "./stat-series";

/** A list cell's current CPU: "—" until the collector has a sample. */
export function CurrentCpu({ point }: { point: TChartPoint | undefined }) {
  const text = point ? formatCpuPercent(point.cpuPercent) : "—";

  return <span data-testid="current-cpu">{text}</span>;
}

/** A list cell's current memory, with its share of the limit. */
export function CurrentMemory({ point }: { point: TChartPoint | undefined }) {
  if (!point) {
    return <span data-testid="current-memory">—</span>;
  }

  return (
    <span data-testid="current-memory">
      {formatBytes(point.memoryBytes)}
      <span className="text-muted"> · {Math.round(point.memoryPercent)} %</span>
    </span>
  );
}
