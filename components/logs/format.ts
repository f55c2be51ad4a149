import type { TLogLine } from "@/server/logs/schema";

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** Local wall-clock time with milliseconds, e.g. 14:03:07.125. */
export function formatLogTime(at: Date): string {
  return (
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}` +
    `.${pad(at.getMilliseconds(), 3)}`
  );
}

/** Which replica wrote a line, and where: "#1 lab-2". */
export function replicaTag(line: Pick<TLogLine, "slot" | "nodeName">): string {
  return `#${line.slot} ${line.nodeName}`;
}
