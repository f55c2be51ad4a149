/**
 * Formatting helpers shared by every page: bytes, CPUs and CPU use, rates, clock and relative
 * times, ports. Pure functions, so they render the same on every screen and are unit tested
 * in format.test.ts.
 */

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;
const BYTES_PER_UNIT = 1024;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Beyond this age, a relative time is less useful than the date itself. */
const RELATIVE_LIMIT_MS = 30 * DAY_MS;

/** 8_369_000_000 → "7.8 GiB"; one decimal below 10 units, none above; binary units. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return "—";
  }
  let value = bytes;
  let unit = 0;
  while (value >= BYTES_PER_UNIT && unit < BYTE_UNITS.length - 1) {
    value /= BYTES_PER_UNIT;
    unit += 1;
  }
  if (unit === 0) {
    return `${value} B`;
  }
  const text = value < 10 ? value.toFixed(1) : Math.round(value).toString();

  return `${text.replace(/\.0$/, "")} ${BYTE_UNITS[unit]}`;
}

/** 4 → "4 CPUs", 1 → "1 CPU", 0.5 → "0.5 CPU". */
export function formatCpus(cpus: number): string {
  if (!Number.isFinite(cpus) || cpus < 0) {
    return "—";
  }
  const text = Number.isInteger(cpus) ? cpus.toString() : cpus.toFixed(2).replace(/0+$/, "");

  return `${text} ${cpus > 1 ? "CPUs" : "CPU"}`;
}

/** CPU in percent of one core: "12 %", "0.4 %", "230 %". */
export function formatCpuPercent(percent: number): string {
  const digits = percent < 10 ? 1 : 0;

  return `${percent.toFixed(digits)} %`;
}

/** Bytes per second: "1.5 KiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** A chart's clock: hours, minutes and seconds; day and month instead of seconds for days. */
export function formatClock(at: Date, withDate: boolean): string {
  return at.toLocaleString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: withDate ? undefined : "2-digit",
    day: withDate ? "numeric" : undefined,
    month: withDate ? "short" : undefined,
  });
}

/** Local wall-clock time with milliseconds, e.g. 14:03:07.125, for log lines. */
export function formatLogTime(at: Date): string {
  return (
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}` +
    `.${pad(at.getMilliseconds(), 3)}`
  );
}

/**
 * How long ago `at` was, seen from `now`: "just now", "12 s ago", "5 min ago", "3 h ago",
 * "2 d ago", then the date. Times slightly in the future (clock skew) read as "just now".
 */
export function formatRelativeTime(at: Date, now: Date): string {
  const elapsed = now.getTime() - at.getTime();
  if (elapsed < SECOND_MS) {
    return elapsed < -MINUTE_MS ? formatDateTime(at) : "just now";
  }
  if (elapsed < MINUTE_MS) {
    return `${Math.floor(elapsed / SECOND_MS)} s ago`;
  }
  if (elapsed < HOUR_MS) {
    return `${Math.floor(elapsed / MINUTE_MS)} min ago`;
  }
  if (elapsed < DAY_MS) {
    return `${Math.floor(elapsed / HOUR_MS)} h ago`;
  }
  if (elapsed < RELATIVE_LIMIT_MS) {
    return `${Math.floor(elapsed / DAY_MS)} d ago`;
  }

  return formatDateTime(at);
}

function pad(value: number, width = 2): string {
  return value.toString().padStart(width, "0");
}

/** "2026-12-03 16:07:35" in local time: sortable, unambiguous, the same in every locale. */
export function formatDateTime(at: Date): string {
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;

  return `${date} ${time}`;
}

export type TPortView = { privatePort: number; publicPort?: number; ip?: string; type: string };

/** `127.0.0.3:18080→8080/tcp` when published, `8080/tcp` when only exposed. */
export function formatPort(port: TPortView): string {
  const inside = `${port.privatePort}/${port.type}`;
  if (port.publicPort === undefined) {
    return inside;
  }
  const host = port.ip && port.ip !== "" ? `${port.ip}:` : "";

  return `${host}${port.publicPort}→${inside}`;
}

/** Docker lists a port once per address family; show each mapping once, published first. */
export function uniquePorts(ports: readonly TPortView[]): string[] {
  const texts = ports
    .filter((port) => !port.ip || !port.ip.includes(":"))
    .toSorted((a, b) => Number(b.publicPort !== undefined) - Number(a.publicPort !== undefined))
    .map(formatPort);

  return [...new Set(texts)];
}

/** "1 node", "3 nodes". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
