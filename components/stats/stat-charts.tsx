"use client";

import { type ReactNode, useState } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { formatBytes } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/panel";

import { formatClock, formatCpuPercent, formatRate } from "./format-stats";
import { CHART_RANGES, RANGE_LABELS, type TChartPoint, type TChartRange } from "./stat-series";
import { type TStatScope, useStatSeries } from "./use-stat-series";

const CHART_HEIGHT_PX = 160;
const LONG_RANGES = new Set<TChartRange>(["24h", "7d"]);

type TRow = { t: number } & Omit<TChartPoint, "at">;

/** Lines to mark on a chart: a node's capacity or reservations, a container's limit. */
export type TMark = { label: string; value: number; tone: "danger" | "warn" };

type TSeries = { key: keyof Omit<TChartPoint, "at">; name: string; color: string };

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
  series: TSeries[];
  format: (value: number) => string;
  isLong: boolean;
  isArea?: boolean;
  marks?: TMark[];
};

function StatChart({ title, rows, series, format, isLong, isArea, marks = [] }: TChartProps) {
  const Chart = isArea ? AreaChart : LineChart;
  const axes = (
    <>
      <CartesianGrid stroke="var(--color-line)" strokeDasharray="3 3" />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={["dataMin", "dataMax"]}
        tickFormatter={(t: number) => formatClock(new Date(t), isLong)}
        tick={{ fontSize: 11, fill: "var(--color-muted)" }}
        minTickGap={40}
      />
      <YAxis
        tickFormatter={format}
        width={64}
        tick={{ fontSize: 11, fill: "var(--color-muted)" }}
      />
      <Tooltip
        labelFormatter={(t) => formatClock(new Date(Number(t)), isLong)}
        formatter={(value) => format(Number(value))}
        contentStyle={{ fontSize: 12 }}
      />
      {marks.map((mark) => (
        <ReferenceLine
          key={mark.label}
          y={mark.value}
          stroke={`var(--color-${mark.tone})`}
          strokeDasharray="4 4"
          label={{ value: mark.label, fontSize: 10, fill: "var(--color-muted)" }}
          ifOverflow="extendDomain"
        />
      ))}
    </>
  );

  return (
    <ChartFrame title={title}>
      <ResponsiveContainer width="100%" height="100%">
        <Chart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          {axes}
          {series.map((s) =>
            isArea ? (
              <Area
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                fill={s.color}
                fillOpacity={0.15}
                isAnimationActive={false}
                dot={false}
              />
            ) : (
              <Line
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stroke={s.color}
                isAnimationActive={false}
                dot={false}
              />
            ),
          )}
        </Chart>
      </ResponsiveContainer>
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
function marksOf(capacity: TCapacity | undefined, limitBytes: number | undefined) {
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

  return (
    <Panel
      title={title}
      description={
        <span className="flex flex-wrap items-center gap-2">
          <LiveBadge isStale={isStale} status={streamStatus} />
          <span data-testid="stats-point-count">{rows.length} points</span>
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
