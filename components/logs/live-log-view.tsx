"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

import { LOG_BUFFER_LINES } from "./log-buffer";
import { LogLines } from "./log-lines";
import { type TLogTarget, type TTailState, useLogTail } from "./use-log-tail";

const STATE_BADGES: Record<TTailState, { tone: "ok" | "warn" | "neutral"; text: string }> = {
  connecting: { tone: "neutral", text: "connecting" },
  live: { tone: "ok", text: "live" },
  reconnecting: { tone: "warn", text: "reconnecting" },
};

/** The live log of an app (every replica, merged and tagged) or of one replica. */
export function LiveLogView({ target }: { target: TLogTarget }) {
  const { buffer, dispatch, state } = useLogTail(target);
  const badge = STATE_BADGES[state];
  const isMerged = target.replicaId === undefined;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 px-4 pt-3">
        <Badge tone={badge.tone} hasDot data-testid="log-tail-state">
          {badge.text}
        </Badge>
        {buffer.isPaused ? (
          <span className="text-xs text-muted" role="status" data-testid="log-waiting">
            paused: {buffer.waiting.length.toLocaleString()} new lines waiting
          </span>
        ) : null}
        <span className="flex-1" />
        <Button
          size="sm"
          onClick={() => dispatch({ type: buffer.isPaused ? "resume" : "pause" })}
          aria-pressed={buffer.isPaused}
        >
          {buffer.isPaused ? "Resume" : "Pause"}
        </Button>
        <Button size="sm" variant="ghost" onClick={() => dispatch({ type: "clear" })}>
          Clear
        </Button>
      </div>
      {state === "reconnecting" ? (
        <Notice tone="warn" role="status" className="mx-4">
          The live log stream dropped; reconnecting. Lines shown stay; missed ones are fetched
          again.
        </Notice>
      ) : null}
      {buffer.dropped > 0 ? (
        <p className="px-4 text-xs text-muted" data-testid="log-dropped">
          Showing the newest {LOG_BUFFER_LINES.toLocaleString()} lines;{" "}
          {buffer.dropped.toLocaleString()} older ones were dropped here. Search finds them.
        </p>
      ) : null}
      <LogLines
        lines={buffer.lines}
        hasTag={isMerged}
        isFollowing={!buffer.isPaused}
        label={isMerged ? "Live log of every replica" : "Live log of this replica"}
        empty={state === "live" ? "No lines yet." : "Connecting to the log stream…"}
      />
    </div>
  );
}
