/**
 * Explanations: reason counts and the one-line messages people read, e.g.
 * "0 of 5 nodes fit: 3 lack 512 MiB of free memory, 2 fail zone == eu".
 */
import { type TRequestContext } from "./filter";
import {
  REJECT_REASONS,
  type TLabelConstraint,
  type TPlacementRequest,
  type TReasonCounts,
  type TRejectReason,
} from "./types";

const MIB_BYTES = 1024 * 1024;
const GIB_BYTES = 1024 * MIB_BYTES;
const MILLIS_PER_CPU = 1000;

/** Bytes as people read them: `512 MiB`, `1.5 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB_BYTES) {
    return `${trimNumber(bytes / GIB_BYTES)} GiB`;
  }
  if (bytes >= MIB_BYTES) {
    return `${trimNumber(bytes / MIB_BYTES)} MiB`;
  }

  return `${bytes} B`;
}

/** CPU in cores: `0.5 CPU`, `2 CPU`. */
export function formatCpu(millis: number): string {
  return `${trimNumber(millis / MILLIS_PER_CPU)} CPU`;
}

function trimNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** A constraint as written in an app spec: `zone == eu`, `zone in [a, b]`. */
export function describeConstraint(constraint: TLabelConstraint): string {
  if (constraint.operator === "in") {
    return `${constraint.key} in [${constraint.values.join(", ")}]`;
  }

  return `${constraint.key} ${constraint.operator} ${constraint.value}`;
}

/** Every reason at 0, so a count record always lists the whole closed set. */
export function emptyReasonCounts(): TReasonCounts {
  return Object.fromEntries(REJECT_REASONS.map((reason) => [reason, 0])) as TReasonCounts;
}

/** Reason counts from the static and dynamic code counts (code n is REJECT_REASONS[n-1]). */
export function reasonCountsOf(staticCounts: Int32Array, dynamicCounts: Int32Array) {
  const counts = emptyReasonCounts();
  REJECT_REASONS.forEach((reason, index) => {
    counts[reason] = staticCounts[index + 1]! + dynamicCounts[index + 1]!;
  });

  return counts;
}

/** Nodes rejected by a label constraint, keyed by the first constraint each one fails. */
export function constraintCountsOf(ctx: TRequestContext): Record<string, number> {
  const counts: Record<string, number> = {};
  ctx.request.placement.constraints.forEach((constraint, k) => {
    const failed = ctx.constraintFailures[k] ?? 0;
    if (failed > 0) {
      const text = describeConstraint(constraint);
      counts[text] = (counts[text] ?? 0) + failed;
    }
  });

  return counts;
}

/** "1 lacks" or "3 lack": the verb agrees with the count. */
function agree(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

function describePorts(request: TPlacementRequest): string {
  return request.hostPorts.map((port) => `${port.protocol}/${port.port}`).join(", ");
}

const PHRASES: Record<TRejectReason, (n: number, request: TPlacementRequest) => string> = {
  "node-unreachable": (n) => agree(n, "is unreachable", "are unreachable"),
  "node-cordoned": (n) => agree(n, "is cordoned", "are cordoned"),
  "node-draining": (n) => agree(n, "is draining", "are draining"),
  "label-constraint": (n) => agree(n, "fails a label constraint", "fail a label constraint"),
  "image-unavailable": (n, r) => `${agree(n, "lacks", "lack")} image ${r.image} (pulling is off)`,
  "anti-affinity": (n) =>
    agree(n, "runs an app to keep apart from", "run an app to keep apart from"),
  "host-port-conflict": (n, r) => `${agree(n, "has", "have")} host port ${describePorts(r)} taken`,
  "max-per-node": (n, r) => {
    const max = r.placement.maxPerNode ?? 0;

    return `${agree(n, "already runs", "already run")} ${max} of ${r.appName} (max)`;
  },
  "insufficient-cpu": (n, r) =>
    `${agree(n, "lacks", "lack")} ${formatCpu(r.cpuMillis)} of free CPU`,
  "insufficient-memory": (n, r) =>
    `${agree(n, "lacks", "lack")} ${formatBytes(r.memoryBytes)} of free memory`,
};

type TPhrase = { count: number; order: number; text: string };

function rejectionPhrases(
  request: TPlacementRequest,
  reasonCounts: TReasonCounts,
  constraintCounts: Record<string, number>,
): string[] {
  const phrases: TPhrase[] = [];
  REJECT_REASONS.forEach((reason, order) => {
    const count = reasonCounts[reason];
    if (count === 0) {
      return;
    }
    if (reason !== "label-constraint") {
      phrases.push({ count, order, text: PHRASES[reason](count, request) });

      return;
    }
    for (const [text, n] of Object.entries(constraintCounts)) {
      phrases.push({ count: n, order, text: `${agree(n, "fails", "fail")} ${text}` });
    }
  });
  phrases.sort((a, b) => b.count - a.count || a.order - b.order);

  return phrases.map((phrase) => phrase.text);
}

export type TMessageInput = {
  request: TPlacementRequest;
  nodesConsidered: number;
  nodesFeasible: number;
  reasonCounts: TReasonCounts;
  constraintCounts: Record<string, number>;
  chosen: { nodeName: string; score: number } | null;
};

/** The one line shown beside a placement or a failure to place. */
export function explainMessage(input: TMessageInput): string {
  const fit = `${input.nodesFeasible} of ${input.nodesConsidered} nodes fit`;
  const rejections = rejectionPhrases(input.request, input.reasonCounts, input.constraintCounts);
  const why = rejections.length > 0 ? `: ${rejections.join(", ")}` : "";
  if (!input.chosen) {
    return `${fit}${why}`;
  }
  const score = Math.round(input.chosen.score * 10) / 10;

  return `placed on ${input.chosen.nodeName} (score ${score}); ${fit}${why}`;
}

/** Checks the invariant every explanation keeps: each node is counted exactly once. */
export function countsAddUp(counts: TReasonCounts, feasible: number, considered: number) {
  const rejected = REJECT_REASONS.reduce((sum, reason) => sum + counts[reason], 0);

  return rejected + feasible === considered;
}
