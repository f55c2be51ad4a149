/**
 * The alert rules' pure core: which subjects each rule's condition holds for in a snapshot of
 * the cluster, and which alerts to fire and resolve given the alerts already open.
 *
 * A condition must hold without a break for the rule's `forSeconds` before its alert fires;
 * a break restarts the wait, so a flapping condition never fires. CPU and memory rules read a
 * window of stats points instead: the window is their wait.
 */
import type { AlertKind, Severity } from "@/server/db/generated/client";

/** Seconds between two stats points of the collector. */
export const SAMPLE_SECONDS = 10;
/** restartLoop fires at this many crash restarts in a row unless the rule says otherwise. */
export const DEFAULT_RESTART_THRESHOLD = 3;

export type TRuleInput = {
  id: string;
  name: string;
  kind: AlertKind;
  threshold: number | null;
  forSeconds: number;
  appId: string | null;
  severity: Severity;
};

export type TNodeState = { id: string; name: string; health: "ready" | "unreachable" };

export type TReplicaState = {
  id: string;
  appId: string;
  appName: string;
  slot: number;
  nodeId: string | null;
  nodeName: string | null;
  state: string;
  health: string;
  restartCount: number;
  lastError: string | null;
  healthMessage: string | null;
};

/** One stats point of a replica, newest first in the snapshot. */
export type TStatPoint = {
  at: Date;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
};

export type TSnapshot = {
  nodes: TNodeState[];
  replicas: TReplicaState[];
  /** Points of the last few minutes per replica id, newest first. */
  stats: Map<string, TStatPoint[]>;
};

/** Something a rule's condition holds for: a node, a replica or an app. */
export type TSubject = {
  key: string;
  name: string;
  message: string;
  nodeId?: string;
  appId?: string;
};

export type TOpenAlert = { id: string; ruleId: string; subjectKey: string };

export type TFire = { rule: TRuleInput; subject: TSubject };
export type TResolve = { alert: TOpenAlert; reason: string };

export type TDecisions = {
  fire: TFire[];
  resolve: TResolve[];
  /** When each held condition that has not fired yet started holding, by rule and subject. */
  pendingSince: Map<string, number>;
};

function replicaLabel(replica: TReplicaState): string {
  return `replica ${replica.slot} of ${replica.appName}`;
}

function replicaSubject(replica: TReplicaState, message: string): TSubject {
  return {
    key: `replica:${replica.id}`,
    name: replicaLabel(replica),
    message,
    appId: replica.appId,
    nodeId: replica.nodeId ?? undefined,
  };
}

function percent(value: number): string {
  return `${Math.round(value * 10) / 10}%`;
}

/**
 * The points of the last `forSeconds`, when there are enough of them to cover it: at least one,
 * and one per sample interval of the window, so a lone fresh point never stands for a minute.
 */
export function windowOf(points: TStatPoint[], forSeconds: number, now: number): TStatPoint[] {
  const since = now - Math.max(forSeconds, SAMPLE_SECONDS) * 1000;
  const inWindow = points.filter((point) => point.at.getTime() > since);
  const needed = Math.max(1, Math.floor(forSeconds / SAMPLE_SECONDS));

  return inWindow.length >= needed ? inWindow : [];
}

function memoryPercent(point: TStatPoint): number | undefined {
  return point.memoryLimitBytes > 0
    ? (point.memoryBytes / point.memoryLimitBytes) * 100
    : undefined;
}

function usageSubjects(rule: TRuleInput, snapshot: TSnapshot, now: number): TSubject[] {
  const threshold = rule.threshold ?? 0;
  const isCpu = rule.kind === "cpuAbove";

  return snapshot.replicas.flatMap((replica) => {
    const points = windowOf(snapshot.stats.get(replica.id) ?? [], rule.forSeconds, now);
    const values = points.map((point) => (isCpu ? point.cpuPercent : memoryPercent(point)));
    if (values.length === 0 || values.some((value) => value === undefined || value <= threshold)) {
      return [];
    }
    const lowest = Math.min(...(values as number[]));
    const what = isCpu ? "CPU" : "memory";
    const of = isCpu ? "of one core" : "of its limit";

    return [
      replicaSubject(
        replica,
        `${replicaLabel(replica)} uses over ${percent(threshold)} ${what} ${of} ` +
          `(at least ${percent(lowest)} for ${rule.forSeconds} s)`,
      ),
    ];
  });
}

/** The subjects `rule` holds for in `snapshot` (its app scope applied). */
export function subjectsOf(rule: TRuleInput, snapshot: TSnapshot, now: number): TSubject[] {
  const scoped: TSnapshot = rule.appId
    ? { ...snapshot, replicas: snapshot.replicas.filter((r) => r.appId === rule.appId) }
    : snapshot;
  const replicas = scoped.replicas;
  switch (rule.kind) {
    case "nodeUnreachable":
      return snapshot.nodes
        .filter((node) => node.health === "unreachable")
        .map((node) => ({
          key: `node:${node.id}`,
          name: node.name,
          message: `node ${node.name} is unreachable`,
          nodeId: node.id,
        }));
    case "replicaExited":
      return replicas
        .filter((replica) => replica.state === "failed")
        .map((r) => replicaSubject(r, `${replicaLabel(r)} exited: ${r.lastError ?? "no reason"}`));
    case "replicaUnhealthy":
      return replicas
        .filter((replica) => replica.state === "running" && replica.health === "unhealthy")
        .map((r) =>
          replicaSubject(r, `${replicaLabel(r)} fails its health check: ${r.healthMessage ?? ""}`),
        );
    case "restartLoop": {
      const threshold = rule.threshold ?? DEFAULT_RESTART_THRESHOLD;

      return replicas
        .filter((replica) => replica.restartCount >= threshold)
        .map((r) =>
          replicaSubject(r, `${replicaLabel(r)} crashed ${r.restartCount} times in a row`),
        );
    }
    case "replicaUnplaced":
      return replicas
        .filter((replica) => replica.state === "unplaced")
        .map((r) =>
          replicaSubject(
            r,
            `${replicaLabel(r)} cannot be placed: ${r.lastError ?? "no node fits"}`,
          ),
        );
    case "cpuAbove":
    case "memoryAbove":
      return usageSubjects(rule, scoped, now);
  }
}

function pendingKey(ruleId: string, subjectKey: string): string {
  return `${ruleId}|${subjectKey}`;
}

/** Whether a rule waits out `forSeconds` itself, or its condition already spans it. */
function waitsFor(rule: TRuleInput): number {
  return rule.kind === "cpuAbove" || rule.kind === "memoryAbove" ? 0 : rule.forSeconds * 1000;
}

/**
 * Fire and resolve decisions for one evaluation at `now`. `rules` are the enabled rules; an
 * open alert whose rule is not among them (disabled or deleted) resolves. `pendingSince` is the
 * previous evaluation's, and the returned one replaces it.
 */
export function evaluate(input: {
  rules: TRuleInput[];
  snapshot: TSnapshot;
  open: TOpenAlert[];
  pendingSince: Map<string, number>;
  now: number;
}): TDecisions {
  const { rules, snapshot, open, now } = input;
  const openKeys = new Set(open.map((alert) => pendingKey(alert.ruleId, alert.subjectKey)));
  const holding = new Set<string>();
  const fire: TFire[] = [];
  const pendingSince = new Map<string, number>();
  for (const rule of rules) {
    for (const subject of subjectsOf(rule, snapshot, now)) {
      const key = pendingKey(rule.id, subject.key);
      holding.add(key);
      if (openKeys.has(key)) {
        continue;
      }
      const since = input.pendingSince.get(key) ?? now;
      if (now - since >= waitsFor(rule)) {
        fire.push({ rule, subject });
      } else {
        pendingSince.set(key, since);
      }
    }
  }
  const ruleIds = new Set(rules.map((rule) => rule.id));
  const resolve = open
    .filter((alert) => !holding.has(pendingKey(alert.ruleId, alert.subjectKey)))
    .map((alert) => ({
      alert,
      reason: ruleIds.has(alert.ruleId) ? "condition cleared" : "rule disabled or deleted",
    }));

  return { fire, resolve, pendingSince };
}
