/**
 * Words, tones and numbers for an app's status, its replicas and their placement. Pure, so the
 * list, the app page and their tests read the same thing; unit tested in app-status.test.ts.
 */
import { formatBytes, formatCpus } from "@/components/format";
import type { TAppSummary, TAppView, TRouterOutputs } from "@/components/trpc/client";
import type { TTone } from "@/components/ui/badge";
import { describeBytes, describeMillicores } from "@/server/apps/spec";
import { REJECT_REASONS, SCORER_NAMES } from "@/server/scheduler/types";

export type TReplicaView = TRouterOutputs["app"]["replicas"][number];
export type TAppStatus = TAppSummary["status"];
export type THealth = TReplicaView["health"];
export type TRollout = NonNullable<TAppView["rollout"]>;
export type TPlacementExplanation = NonNullable<TReplicaView["explanation"]>;

const MILLIS_PER_CPU = 1000;
const SECOND_MS = 1000;
/** A finished rollout stays on the app page this long, so its end is seen. */
export const ROLLOUT_RECENT_MS = 5 * 60 * SECOND_MS;

type TWording = { label: string; tone: TTone; hint: string };

export const APP_STATUS_WORDS: Record<TAppStatus, TWording> = {
  running: { label: "Running", tone: "ok", hint: "Every desired replica is ready." },
  degraded: { label: "Degraded", tone: "warn", hint: "Some replicas are ready, not all." },
  down: { label: "Down", tone: "danger", hint: "Replicas exist but none is ready." },
  pending: { label: "Pending", tone: "info", hint: "Replicas are being placed or started." },
  stopped: { label: "Stopped", tone: "neutral", hint: "Scaled to 0: nothing runs." },
  updating: { label: "Updating", tone: "info", hint: "A new revision is rolling out." },
  updateFailed: {
    label: "Update failed",
    tone: "danger",
    hint: "The last rollout failed; see the app's rollout panel.",
  },
  deleting: { label: "Deleting", tone: "neutral", hint: "Its replicas are stopping first." },
};

export const HEALTH_WORDS: Record<THealth, TWording> = {
  none: { label: "no check", tone: "neutral", hint: "The app has no health check." },
  starting: { label: "starting", tone: "info", hint: "Waiting for the first passing check." },
  healthy: { label: "healthy", tone: "ok", hint: "The health check passes." },
  unhealthy: { label: "unhealthy", tone: "danger", hint: "The health check fails." },
};

const REPLICA_STATE_TONES: Record<string, TTone> = {
  pending: "neutral",
  placed: "info",
  starting: "info",
  running: "ok",
  stopping: "neutral",
  stopped: "neutral",
  failed: "danger",
  unplaced: "danger",
};

/** The badge tone of a replica state; an unknown state reads as neutral. */
export function replicaStateTone(state: string): TTone {
  return REPLICA_STATE_TONES[state] ?? "neutral";
}

type TPublished = TReplicaView["ports"][number];

/** `127.0.0.2:32768 → 8080/tcp`: where to reach a replica, and what it answers inside. */
export function formatAddress(port: TPublished): string {
  const host = port.hostIp === "" ? "0.0.0.0" : port.hostIp;

  return `${host}:${port.hostPort} → ${port.containerPort}/${port.protocol}`;
}

/** The host side alone, as a URL or `curl` wants it: `127.0.0.2:32768`. */
export function hostAddress(port: TPublished): string {
  return `${port.hostIp === "" ? "0.0.0.0" : port.hostIp}:${port.hostPort}`;
}

type TRequest = { cpuRequestMillis: number; memoryRequestBytes: number; desiredReplicas: number };

/** What the app holds on the nodes: each replica's request times the desired count. */
export function reservationOf(app: TRequest): { cpu: string; memory: string; each: string } {
  const count = Math.max(0, app.desiredReplicas);
  const cpu = formatCpus((app.cpuRequestMillis * count) / MILLIS_PER_CPU);
  const memory = formatBytes(app.memoryRequestBytes * count);
  const each = `${describeMillicores(app.cpuRequestMillis)}, ${formatBytes(app.memoryRequestBytes)}`;

  return { cpu, memory, each: `${each} × ${count}` };
}

/** Whole seconds from `nowMs` to `at`, never negative. */
export function secondsUntil(at: Date, nowMs: number): number {
  return Math.max(0, Math.ceil((at.getTime() - nowMs) / SECOND_MS));
}

/** In progress or failed, or finished within ROLLOUT_RECENT_MS; a superseded one is not. */
export function isRolloutShown(rollout: TRollout | null, nowMs: number): rollout is TRollout {
  if (!rollout) {
    return false;
  }
  if (rollout.state === "progressing" || rollout.state === "failed") {
    return true;
  }
  if (rollout.state !== "succeeded" || !rollout.finishedAt) {
    return false;
  }

  return nowMs - rollout.finishedAt.getTime() < ROLLOUT_RECENT_MS;
}

/** Shares of a progress bar, in percent: new ready, new not yet ready, old still there. */
export function rolloutShares(progress: TRollout["progress"]) {
  const total = Math.max(progress.desired, progress.updated + progress.old, 1);
  const ready = Math.min(progress.ready, progress.updated);
  const percent = (count: number) => Math.round((Math.max(0, count) / total) * 100);

  return {
    ready: percent(ready),
    starting: percent(progress.updated - ready),
    old: percent(progress.old),
  };
}

const SCORER_LABELS: Record<string, string> = {
  binpack: "Bin-pack",
  leastAllocated: "Least allocated",
  balanced: "Balanced",
  nodeSpread: "Node spread",
  labelSpread: "Label spread",
};

export type TScorerColumn = { key: string; label: string };

export type TCandidateRow = {
  nodeName: string;
  score: number;
  isChosen: boolean;
  scores: { key: string; score: number }[];
};

/** The scorers the candidates were ranked by, known ones first in the scheduler's order. */
export function scorerColumns(explanation: TPlacementExplanation): TScorerColumn[] {
  const seen = new Set(explanation.candidates.flatMap((c) => Object.keys(c.scoresByScorer)));
  const known = SCORER_NAMES.filter((name) => seen.has(name));
  const others = [...seen].filter((name) => !known.includes(name as never)).toSorted();

  return [...known, ...others].map((key) => ({ key, label: SCORER_LABELS[key] ?? key }));
}

/** One row per ranked node, best first; the first is where the replica went when placed. */
export function candidateRows(
  explanation: TPlacementExplanation,
  isPlaced: boolean,
): TCandidateRow[] {
  const columns = scorerColumns(explanation);

  return explanation.candidates.map((candidate, index) => ({
    nodeName: candidate.nodeName,
    score: candidate.score,
    isChosen: isPlaced && index === 0,
    scores: columns.map(({ key }) => ({ key, score: candidate.scoresByScorer[key] ?? 0 })),
  }));
}

/** A score to one decimal at most: 87.25 → "87.3", 100 → "100". */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? score.toString() : score.toFixed(1);
}

type TRequested = { cpuRequestMillis: number; memoryRequestBytes: number };
type TVerb = (isOne: boolean, request: TRequested) => string;

const REASON_VERBS: Record<string, TVerb> = {
  "node-unreachable": (one) => (one ? "is unreachable" : "are unreachable"),
  "node-cordoned": (one) => (one ? "is cordoned" : "are cordoned"),
  "node-draining": (one) => (one ? "is draining" : "are draining"),
  "label-constraint": (one) => `${one ? "fails" : "fail"} a label constraint`,
  "image-unavailable": (one) => `${one ? "lacks" : "lack"} the image and cannot pull it`,
  "anti-affinity": (one) => `${one ? "runs" : "run"} an app this one must avoid`,
  "host-port-conflict": (one) => `${one ? "has" : "have"} the host port taken`,
  "max-per-node": (one) => `already ${one ? "runs" : "run"} the most replicas allowed per node`,
  "insufficient-cpu": (one, request) =>
    `${one ? "has" : "have"} less than ${describeMillicores(request.cpuRequestMillis)} free`,
  "insufficient-memory": (one, request) =>
    `${one ? "lacks" : "lack"} ${describeBytes(request.memoryRequestBytes)} of free memory`,
};

/** Why nodes were rejected, most common first: `3 lack 512 MiB of free memory`. */
export function reasonLines(reasonCounts: Record<string, number>, request: TRequested): string[] {
  const order = (reason: string) => {
    const index = REJECT_REASONS.indexOf(reason as (typeof REJECT_REASONS)[number]);

    return index === -1 ? REJECT_REASONS.length : index;
  };

  return Object.entries(reasonCounts)
    .filter(([, count]) => count > 0)
    .toSorted(([a, countA], [b, countB]) => countB - countA || order(a) - order(b))
    .map(([reason, count]) => {
      const verb = REASON_VERBS[reason];
      const text = verb ? verb(count === 1, request) : `rejected: ${reason}`;

      return `${count} ${text}`;
    });
}
