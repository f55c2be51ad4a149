import type { TLogLine } from "@/server/logs/schema";

/** Which replica wrote a line, and where: "#1 lab-2". */
export function replicaTag(line: Pick<TLogLine, "slot" | "nodeName">): string {
  return `#${line.slot} ${line.nodeName}`;
}
