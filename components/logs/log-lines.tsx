"use client";

import { useLayoutEffect, useRef, useState } from "react";

import { formatLogTime } from "@/components/format";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import type { TLogLine } from "@/server/logs/schema";

import { replicaTag } from "./format";

/** Within this many pixels of the bottom counts as at the bottom: following continues. */
const FOLLOW_SLACK_PX = 24;

function LogLineRow({ line, hasTag }: { line: TLogLine; hasTag: boolean }) {
  const isErr = line.stream === "stderr";

  return (
    <li
      data-testid="log-line"
      data-stream={line.stream}
      className={cx(
        "border-l-2 px-3 py-px [overflow-wrap:anywhere] break-words whitespace-pre-wrap",
        isErr ? "border-danger bg-danger-soft/60" : "border-transparent",
      )}
    >
      <time dateTime={line.at.toISOString()} className="mr-2 text-faint tabular-nums">
        {formatLogTime(line.at)}
      </time>
      {hasTag ? <span className="mr-2 text-info">{replicaTag(line)}</span> : null}
      {isErr ? <span className="sr-only">stderr: </span> : null}
      <span className={isErr ? "text-danger" : undefined}>{line.line}</span>
    </li>
  );
}

type TLogLinesProps = {
  lines: readonly TLogLine[];
  /** Show which replica and node wrote each line (merged views). */
  hasTag: boolean;
  /** Keep the newest line in view while the reader has not scrolled up. */
  isFollowing?: boolean;
  empty: string;
  label: string;
};

/** Log lines that wrap (never scroll sideways), stderr marked, following the bottom. */
export function LogLines({ lines, hasTag, isFollowing = false, empty, label }: TLogLinesProps) {
  const box = useRef<HTMLDivElement>(null);
  const [isAtBottom, setIsAtBottom] = useState(true);

  useLayoutEffect(() => {
    const element = box.current;
    if (isFollowing && isAtBottom && element) {
      element.scrollTop = element.scrollHeight;
    }
  }, [lines, isFollowing, isAtBottom]);

  const onScroll = () => {
    const element = box.current;
    if (element) {
      const gap = element.scrollHeight - element.scrollTop - element.clientHeight;
      setIsAtBottom(gap <= FOLLOW_SLACK_PX);
    }
  };

  return (
    <div className="relative">
      <div
        ref={box}
        onScroll={onScroll}
        role="log"
        aria-label={label}
        data-testid="log-lines"
        className={cx(
          "h-[60vh] max-h-[36rem] min-h-48 overflow-x-hidden overflow-y-auto",
          "bg-sunken/40 py-2 font-mono text-xs leading-5",
        )}
      >
        {lines.length === 0 ? (
          <p className="px-3 text-muted">{empty}</p>
        ) : (
          <ol>
            {lines.map((line) => (
              <LogLineRow key={line.key} line={line} hasTag={hasTag} />
            ))}
          </ol>
        )}
      </div>
      {isFollowing && !isAtBottom ? (
        <Button
          size="sm"
          variant="primary"
          className="absolute right-4 bottom-3 shadow"
          onClick={() => setIsAtBottom(true)}
        >
          Jump to latest
        </Button>
      ) : null}
    </div>
  );
}
