"use client";

/**
 * The one place Recharts is used: a time series chart (lines or areas) over rows keyed by a
 * millisecond time `t`, with optional horizontal marks (a capacity, a limit). Pages pass data,
 * series and formatters; they never import Recharts themselves.
 */
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

export type TTimeSeries<TKey extends string = string> = {
  key: TKey;
  name: string;
  /** A CSS color, e.g. a theme variable. */
  color: string;
};

/** A horizontal line across the chart, labelled: a node's capacity, a container's limit. */
export type TMark = { label: string; value: number; tone: "danger" | "warn" };

export type TTimeSeriesChartProps<TKey extends string> = {
  /** Each row: its time in ms since the epoch and one number per series. */
  rows: readonly ({ t: number } & Record<TKey, number>)[];
  series: readonly TTimeSeries<TKey>[];
  /** Formats a value for the axis and the tooltip. */
  formatValue: (value: number) => string;
  /** Formats a time (ms) for the axis and the tooltip. */
  formatTime: (t: number) => string;
  /** Filled areas instead of lines. */
  isArea?: boolean;
  marks?: readonly TMark[];
};

const AXIS_TICK = { fontSize: 11, fill: "var(--color-muted)" };
const Y_AXIS_WIDTH_PX = 64;
const MIN_TICK_GAP_PX = 40;

/** Fills its parent, which decides the height. Animations are off: live points move it. */
export function TimeSeriesChart<TKey extends string>({
  rows,
  series,
  formatValue,
  formatTime,
  isArea = false,
  marks = [],
}: TTimeSeriesChartProps<TKey>) {
  const Chart = isArea ? AreaChart : LineChart;

  return (
    <ResponsiveContainer width="100%" height="100%">
      <Chart data={[...rows]} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--color-line)" strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={["dataMin", "dataMax"]}
          tickFormatter={formatTime}
          tick={AXIS_TICK}
          minTickGap={MIN_TICK_GAP_PX}
        />
        <YAxis tickFormatter={formatValue} width={Y_AXIS_WIDTH_PX} tick={AXIS_TICK} />
        <Tooltip
          labelFormatter={(t) => formatTime(Number(t))}
          formatter={(value) => formatValue(Number(value))}
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
  );
}
