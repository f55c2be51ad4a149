import { formatBytes } from "@/components/format";

/** CPU in percent of one core: "12 %", "0.4 %", "230 %". */
export function formatCpuPercent(percent: number): string {
  const digits = percent < 10 ? 1 : 0;

  return `${percent.toFixed(digits)} %`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

export function formatClock(at: Date, withDate: boolean): string {
  return at.toLocaleString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: withDate ? undefined : "2-digit",
    day: withDate ? "numeric" : undefined,
    month: withDate ? "short" : undefined,
  });
}
