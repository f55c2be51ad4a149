"use client";

import { type ReactNode, useState } from "react";

import {
  type TMark,
  type TTimeSeries,
  TimeSeriesChart,
} from "@/components/charts/time-series-chart";
import { formatBytes, formatClock, formatCpuPercent, formatRate } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";

import {
  CHART_RANGES,
  RANGE_LABELS,
  type TChartPoint,
  type TChartRange,
  liveTimesOf,
} from "./stat-series";
import { type TStatScope, useStatSeries } from "./use-stat-series";

const CHART_HEIGHT_PX = 160;
const LONG_RANGES = new Set<TChartRange>(["24h", "7d"]);
/**
 * The times of the newest live points drawn are written on the point counter (data-live-at),
 * so a browser test can tell every pushed point that was drawn, also several in one render.
 */
const LIVE_TIMES_SHOWN = 60;

type TKey = keyof Omit<TChartPoint, "at">;
type TRow = { t: number } & Record<TKey, number>;

function ChartFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <figure className="min-w-0 rounded-md border border-line p-2" data-testid="stat-chart">
      <figcaption className="px-1 pb-1 text-xs font-medium text-muted">{title}</figcaption>
      <div style={{ height: CHART_HEIGHT_PX }}>{children}</div>
    </figure>
  );
}

type TChartProps = {
  title: string;
  rows: TRow[];
  series: TTimeSeries<TKey>[];
  format: (value: number) => string;
  isLong: boolean;
  isArea?: boolean;
  marks?: TMark[];
};

function StatChart({ title, rows, series, format, isLong, isArea, marks }: TChartProps) {
  return (
    <ChartFrame title={title}>
      <TimeSeriesChart
        rows={rows}
        series={series}
        formatValue={format}
        formatTime={(t) => formatClock(new Date(t), isLong)}
        isArea={isArea}
        marks={marks}
      />
    </ChartFrame>
  );
}

function RangePicker({
  range,
  onChange,
}: {
  range: TChartRange;
  onChange: (range: TChartRange) => void;
}) {
  return (
    <div role="group" aria-label="Time range" className="flex flex-wrap gap-1">
      {CHART_RANGES.map((r) => (
        <Button
          key={r}
          size="sm"
          variant={r === range ? "primary" : "secondary"}
          aria-pressed={r === range}
          onClick={() => onChange(r)}
        >
          {RANGE_LABELS[r]}
        </Button>
      ))}
    </div>
  );
}

function LiveBadge({ isStale, status }: { isStale: boolean; status: string }) {
  if (status === "error" || status === "connecting") {
    return (
      <Badge tone="warn" data-testid="stats-live-state">
        reconnecting…
      </Badge>
    );
  }
  if (isStale) {
    return (
      <Badge tone="neutral" data-testid="stats-live-state">
        live paused
      </Badge>
    );
  }

  return (
    <Badge tone="ok" data-testid="stats-live-state">
      live
    </Badge>
  );
}

type TStatChartsProps = { scope: TStatScope; id: string; title?: string };

type TCapacity = {
  cpuPercent: number;
  memoryBytes: number;
  reservedCpuPercent: number;
  reservedMemoryBytes: number;
};

/** A node's capacity and reservations as lines; a container's memory limit otherwise. */
function marksOf(
  capacity: TCapacity | undefined,
  limitBytes: number | undefined,
): { cpu: TMark[]; memory: TMark[] } {
  if (capacity) {
    return {
      cpu: [
        { label: "capacity", value: capacity.cpuPercent, tone: "danger" as const },
        { label: "reserved", value: capacity.reservedCpuPercent, tone: "warn" as const },
      ],
      memory: [
        { label: "capacity", value: capacity.memoryBytes, tone: "danger" as const },
        { label: "reserved", value: capacity.reservedMemoryBytes, tone: "warn" as const },
      ],
    };
  }

  return {
    cpu: [],
    memory: limitBytes ? [{ label: "limit", value: limitBytes, tone: "danger" as const }] : [],
  };
}

/**
 * CPU, memory, network and disk charts of a replica, app or node, with a range picker:
 * stored history with the live points appended. Two columns on wide screens, one on phones.
 */
export function StatCharts({ scope, id, title = "Resource use" }: TStatChartsProps) {
  const [range, setRange] = useState<TChartRange>("1h");
  const { points, history, isStale, streamStatus } = useStatSeries(scope, id, range);
  const rows: TRow[] = points.map(({ at, ...rest }) => ({ t: at.getTime(), ...rest }));
  const isLong = LONG_RANGES.has(range);
  const marks = marksOf(history.data?.capacity, points.at(-1)?.memoryLimitBytes);
  const liveTimes = liveTimesOf(points, history.data?.points ?? [], LIVE_TIMES_SHOWN);

  return (
    <Panel
      title={title}
      description={
        <span className="flex flex-wrap items-center gap-2">
          <LiveBadge isStale={isStale} status={streamStatus} />
          <span
            data-testid="stats-point-count"
            data-last-at={rows.at(-1)?.t}
            data-live-at={liveTimes.join(" ")}
          >
            {rows.length} points
          </span>
        </span>
      }
      actions={<RangePicker range={range} onChange={setRange} />}
    >
      {history.isError ? (
        <p className="mb-2 text-xs text-danger">History failed to load; showing live points.</p>
      ) : null}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        <StatChart
          title="CPU (% of one core)"
          rows={rows}
          series={[{ key: "cpuPercent", name: "CPU", color: "var(--color-accent)" }]}
          format={formatCpuPercent}
          isLong={isLong}
          isArea
          marks={marks.cpu}
        />
        <StatChart
          title="Memory"
          rows={rows}
          series={[{ key: "memoryBytes", name: "Memory", color: "var(--color-info)" }]}
          format={formatBytes}
          isLong={isLong}
          isArea
          marks={marks.memory}
        />
        <StatChart
          title="Network"
          rows={rows}
          series={[
            { key: "netRxBps", name: "Received", color: "var(--color-ok)" },
            { key: "netTxBps", name: "Sent", color: "var(--color-warn)" },
          ]}
          format={formatRate}
          isLong={isLong}
        />
        <StatChart
          title="Disk"
          rows={rows}
          series={[
            { key: "blockReadBps", name: "Read", color: "var(--color-ok)" },
            { key: "blockWriteBps", name: "Written", color: "var(--color-danger)" },
          ]}
          format={formatRate}
          isLong={isLong}
        />
      </div>
    </Panel>
  );
}
