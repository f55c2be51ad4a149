import type { TAppView } from "@/components/trpc/client";
import { Badge, type TTone } from "@/components/ui/badge";

type TState = keyof TAppView["replicaCounts"];

const STATE_TONES: Record<TState, TTone> = {
  pending: "neutral",
  placed: "info",
  starting: "info",
  running: "ok",
  stopping: "neutral",
  stopped: "neutral",
  failed: "danger",
  unplaced: "danger",
};

/** Desired, ready and running replicas, then every other state that has any. */
export function ReplicaCounts({ app }: { app: TAppView }) {
  const others = (Object.keys(STATE_TONES) as TState[]).filter(
    (state) => state !== "running" && (app.replicaCounts[state] ?? 0) > 0,
  );

  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-3 gap-3">
        <div className="rounded-md bg-sunken px-3 py-2">
          <dt className="text-xs text-muted">Desired</dt>
          <dd data-testid="desired-replicas" className="text-2xl font-semibold tabular-nums">
            {app.spec.replicas}
          </dd>
        </div>
        <div className="rounded-md bg-sunken px-3 py-2">
          <dt className="text-xs text-muted">Ready</dt>
          <dd data-testid="ready-replicas" className="text-2xl font-semibold tabular-nums">
            {app.readyReplicas}
          </dd>
        </div>
        <div className="rounded-md bg-sunken px-3 py-2">
          <dt className="text-xs text-muted">Running</dt>
          <dd data-testid="running-replicas" className="text-2xl font-semibold tabular-nums">
            {app.replicaCounts.running ?? 0}
          </dd>
        </div>
      </dl>
      {others.length > 0 ? (
        <ul className="flex flex-wrap gap-2" aria-label="Other replica states">
          {others.map((state) => (
            <li key={state} data-testid="replica-state" data-state={state}>
              <Badge tone={STATE_TONES[state]} hasDot>
                {app.replicaCounts[state]} {state}
              </Badge>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
