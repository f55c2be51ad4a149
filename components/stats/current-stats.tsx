"use client";

import { formatBytes, formatCpuPercent } from "@/components/format";

/** What a list cell shows of a point: its CPU, its memory and that memory's share. */
export type TCurrentPoint = { cpuPercent: number; memoryBytes: number; memoryPercent: number };

type TCurrentProps = {
  point: TCurrentPoint | undefined | null;
  /** Why there is no point, shown on hover over the dash. */
  missingNote?: string;
};

const NO_SAMPLE_NOTE = "No stats sample yet: the collector reads each replica every 10 s";

/** A list cell's current CPU: "—" until the collector has a sample. */
export function CurrentCpu({ point, missingNote = NO_SAMPLE_NOTE }: TCurrentProps) {
  if (!point) {
    return (
      <span data-testid="current-cpu" title={missingNote}>
        —
      </span>
    );
  }

  return <span data-testid="current-cpu">{formatCpuPercent(point.cpuPercent)}</span>;
}

/** A list cell's current memory, with its share of the limit. */
export function CurrentMemory({ point, missingNote = NO_SAMPLE_NOTE }: TCurrentProps) {
  if (!point) {
    return (
      <span data-testid="current-memory" title={missingNote}>
        —
      </span>
    );
  }

  return (
    <span data-testid="current-memory">
      {formatBytes(point.memoryBytes)}
      <span className="text-muted"> · {Math.round(point.memoryPercent)} %</span>
    </span>
  );
}
