"use client";

import { formatDateTime, formatRelativeTime } from "@/components/format";

import { useNow } from "./now-store";

type TRelativeTimeProps = { at: Date | null; fallback?: string; className?: string };

/** "2 s ago", ticking; the exact time is in the title and the machine-readable attribute. */
export function RelativeTime({ at, fallback = "never", className }: TRelativeTimeProps) {
  const now = useNow();
  if (!at) {
    return <span className={className}>{fallback}</span>;
  }

  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at)} className={className}>
      {now === 0 ? formatDateTime(at) : formatRelativeTime(at, new Date(now))}
    </time>
  );
}
