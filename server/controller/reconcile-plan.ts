/**
 * The reconciler's pure step: desired replicas, replica rows and the containers the engines
 * report in; the actions that bring the second and third in line with the first out. No
 * database, no Docker, no clock: the same inputs give the same actions, so a pass after a
 * crash plans exactly what the crashed one would have.
 *
 * Sections: 1 types, 2 one app's rows, 3 one replica's container, 4 crash restarts,
 * 5 the whole cluster.
 */
import type { ReplicaHealth, ReplicaState } from "@/server/db/generated/client";

// ---------------------------------------------------------------------------------------------
// 1. Types
// ---------------------------------------------------------------------------------------------

/** spec.update: how far a rolling update may go above and below the desired count. */
export type TUpdatePolicy = { maxSurge: number; maxUnavailable: number };

/** spec.update's defaults: one extra replica at a time, none missing. */
export const DEFAULT_UPDATE_POLICY: TUpdatePolicy = { maxSurge: 1, maxUnavailable: 0 };

/** spec.restart: how often, and how soon, a crashed replica is started again in place. */
export type TRestartPolicy = {
  maxRestarts: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
};

/** spec.restart's defaults, for apps planned without one. */
export const DEFAULT_RESTART_POLICY: TRestartPolicy = {
  maxRestarts: 10,
  backoffInitialMs: 1000,
  backoffMaxMs: 5 * 60 * 1000,
};

/** A replica that has run this long since its last start has its crash count forgotten. */
export const STABLE_RUN_MS = 10 * 60 * 1000;

export type TDesiredApp = {
  appId: string;
  revisionId: string;
  replicas: number;
  restart?: TRestartPolicy;
  update?: TUpdatePolicy;
  /** Whether the spec has a health check: a replica is ready only once it passes. */
  hasHealthCheck?: boolean;
  /**
   * Older revisions whose spec differs from the current one in the count or balancing only: their
   * replicas already run what is wanted, so a scale never replaces them.
   */
  sameSpecRevisionIds?: readonly string[];
  /** The rollout to the current revision; a failed one holds the update where it stopped. */
  rollout?: { id: string; state: "progressing" | "failed" };
  /** A delete is pending: every replica goes, then the app. */
  isDeleting?: boolean;
};

export type TReplicaRow = {
  id: string;
  appId: string;
  revisionId: string;
  slot: number;
  nodeId: string | null;
  state: ReplicaState;
  /** none, starting, healthy or unhealthy; none when the app has no health check. */
  health?: ReplicaHealth;
  healthMessage?: string | null;
  lastError?: string | null;
  /** Crash restarts in a row so far. */
  restartCount?: number;
  /** When a crashed replica may be restarted next; null when none is pending. */
  restartAt?: Date | null;
  /** When its container last started. */
  startedAt?: Date | null;
  /** A re-pack moves this replica: its successor runs on this node, then it stops. */
  moveToNodeId?: string | null;
  /** This replica must run on this node (a re-pack move's successor). */
  pinnedNodeId?: string | null;
};

export type TPublished = {
  containerPort: number;
  protocol: string;
  hostIp: string;
  hostPort: number;
};

/** A container carrying Berth's replica label, as one node's engine listed it. */
export type TObservedContainer = {
  id: string;
  nodeId: string;
  replicaId: string;
  /** `created`, `running`, `exited`, `dead`... */
  state: string;
  status: string;
  ports: TPublished[];
};

export type TContainerRef = { nodeId: string; containerId: string };

export type TAction =
  | { kind: "createRow"; appId: string; revisionId: string; slot: number; pinnedNodeId?: string }
  | { kind: "place"; appId: string; revisionId: string; replicaIds: string[] }
  | { kind: "ensureContainer"; replicaId: string; nodeId: string }
  | {
      kind: "markRunning";
      replicaId: string;
      containerId: string;
      ports: TPublished[];
      health: "none" | "starting";
    }
  | { kind: "markFailed"; replicaId: string; message: string }
  | { kind: "scheduleRestart"; replicaId: string; message: string; restartAt: number }
  | { kind: "giveUp"; replicaId: string; message: string }
  | { kind: "restartContainer"; replicaId: string; container: TContainerRef; restartCount: number }
  | { kind: "recycle"; replicaId: string; container: TContainerRef; message: string }
  | { kind: "resetRestarts"; replicaId: string }
  | { kind: "removeReplica"; replicaId: string; containers: TContainerRef[]; reason: string }
  | { kind: "removeContainer"; container: TContainerRef; reason: string }
  | { kind: "failRollout"; appId: string; rolloutId: string; message: string }
  | { kind: "completeRollout"; appId: string; rolloutId: string }
  | { kind: "removeApp"; appId: string };

export type TReconcileInput = {
  apps: readonly TDesiredApp[];
  rows: readonly TReplicaRow[];
  observed: readonly TObservedContainer[];
  /** Nodes whose containers were listed this pass; on others, absence proves nothing. */
  listedNodeIds: ReadonlySet<string>;
  /** Nodes being drained: their replicas move elsewhere, each successor ready first. */
  drainingNodeIds?: ReadonlySet<string>;
  /** Nodes unreachable for longer than the failover wait: their replicas are given up. */
  lostNodeIds?: ReadonlySet<string>;
  /** The pass's clock (ms since the epoch), passed in so that the plan stays pure. */
  now: number;
};

// ---------------------------------------------------------------------------------------------
// 2. One app's rows: which to create, keep, replace and remove
// ---------------------------------------------------------------------------------------------

type TRemoval = { row: TReplicaRow; reason: string };

type TAppContext = {
  desired: TDesiredApp;
  listed: ReadonlySet<string>;
  draining: ReadonlySet<string>;
  lost: ReadonlySet<string>;
  /** The current revision and the ones that differ from it in the count only. */
  same: ReadonlySet<string>;
};

/** Running and, when the app has a health check, passing it; on a node listed this pass. */
export function isReady(row: TReplicaRow, listed: ReadonlySet<string>): boolean {
  const health = row.health ?? "none";

  return (
    row.state === "running" &&
    (health === "none" || health === "healthy") &&
    row.nodeId !== null &&
    listed.has(row.nodeId)
  );
}

/** How far along a row is: ready, running, started, placed, anything else. */
function progressOf(row: TReplicaRow, listed: ReadonlySet<string>): number {
  if (isReady(row, listed)) {
    return 4;
  }
  if (row.state === "running") {
    return 3;
  }

  return row.state === "starting" ? 2 : row.state === "placed" ? 1 : 0;
}

/** Why a row of the current spec must still be replaced, if it must. */
function evictionOf(row: TReplicaRow, ctx: TAppContext): string | undefined {
  if (row.nodeId !== null && ctx.lost.has(row.nodeId)) {
    return "its node is unreachable";
  }
  if (row.nodeId !== null && ctx.draining.has(row.nodeId)) {
    return "its node is draining";
  }
  if (row.moveToNodeId) {
    return "moved by a re-pack";
  }

  return undefined;
}

/** One slot: the row that should stay (its successor) and the rows it replaces. */
type TSlot = { successor?: TReplicaRow; incumbents: { row: TReplicaRow; reason: string }[] };

/** Sorts an app's rows into slots, and the rows that go whatever else happens. */
function sortIntoSlots(rows: readonly TReplicaRow[], ctx: TAppContext) {
  const replicas = ctx.desired.isDeleting ? 0 : ctx.desired.replicas;
  const slots = new Map<number, TSlot>();
  const remove: TRemoval[] = [];
  for (const row of rows) {
    if (row.state === "stopping") {
      // A removal a previous pass began (perhaps in a process that since died) is finished.
      remove.push({ row, reason: "removal in progress" });
      continue;
    }
    if (row.slot >= replicas) {
      const reason = ctx.desired.isDeleting ? "app deleted" : `scaled to ${replicas}`;
      remove.push({ row, reason });
      continue;
    }
    const slot = slots.get(row.slot) ?? { incumbents: [] };
    slots.set(row.slot, slot);
    const eviction = ctx.same.has(row.revisionId)
      ? evictionOf(row, ctx)
      : "replaced by a new revision";
    if (eviction !== undefined) {
      slot.incumbents.push({ row, reason: eviction });
    } else if (slot.successor) {
      // Two rows for one slot: the one further along stays (the older one on a tie).
      const isBetter = progressOf(row, ctx.listed) > progressOf(slot.successor, ctx.listed);
      const duplicate = isBetter ? slot.successor : row;
      slot.successor = isBetter ? row : slot.successor;
      remove.push({ row: duplicate, reason: `duplicate of slot ${row.slot}` });
    } else {
      slot.successor = row;
    }
  }

  return { replicas, slots, remove };
}

/**
 * An incumbent is kept while it serves and nothing has replaced it yet. One that does not
 * serve (stopped, failing, unplaced) has nothing to protect and goes at once, and so does one
 * on a lost node; one on a node not listed this pass is left for a pass that can see it.
 */
function settleIncumbents(slot: TSlot, ctx: TAppContext, remove: TRemoval[]) {
  const successorReady = slot.successor !== undefined && isReady(slot.successor, ctx.listed);
  slot.incumbents = slot.incumbents.filter(({ row, reason }) => {
    const isLost = row.nodeId !== null && ctx.lost.has(row.nodeId);
    const isUnseen = row.nodeId !== null && !ctx.listed.has(row.nodeId) && !isLost;
    if (isUnseen && !successorReady) {
      return true;
    }
    if (successorReady || isLost || !isReady(row, ctx.listed)) {
      remove.push({ row, reason: successorReady ? `${reason}; its successor is ready` : reason });

      return false;
    }

    return true;
  });
}

type TSteps = { creates: { slot: number; pinnedNodeId?: string }[]; remove: TRemoval[] };

/**
 * The rolling update's budget, as in a Kubernetes Deployment: at most replicas + maxSurge
 * rows at once, at least replicas - maxUnavailable slots served by a ready row. A slot whose incumbent
 * still serves gets its successor first while the surge allows, else loses its incumbent
 * first while the unavailability allows; otherwise it waits for a later pass.
 */
function planSteps(replicas: number, slots: Map<number, TSlot>, ctx: TAppContext): TSteps {
  const update = ctx.desired.update ?? DEFAULT_UPDATE_POLICY;
  const steps: TSteps = { creates: [], remove: [] };
  let total = 0;
  let available = 0;
  for (let slot = 0; slot < replicas; slot += 1) {
    const entry = slots.get(slot);
    const rows = entry ? [...entry.incumbents.map((i) => i.row), entry.successor] : [];
    const present = rows.filter((row) => row !== undefined);
    total += Math.max(present.length, 1);
    // Availability counts slots, not rows: two ready rows of one slot serve as one replica.
    available += present.some((row) => isReady(row, ctx.listed)) ? 1 : 0;
    if (!entry || (entry.successor === undefined && entry.incumbents.length === 0)) {
      steps.creates.push({ slot });
    }
  }
  let surgeRoom = replicas + update.maxSurge - total;
  const minAvailable = replicas - update.maxUnavailable;
  const isPaused = ctx.desired.rollout?.state === "failed";
  for (let slot = 0; slot < replicas; slot += 1) {
    const entry = slots.get(slot);
    const first = entry?.incumbents[0];
    if (!entry || entry.successor !== undefined || !first) {
      continue;
    }
    // A failed rollout holds: old replicas keep serving until someone acts.
    if (isPaused && !ctx.same.has(first.row.revisionId)) {
      continue;
    }
    const pinnedNodeId = first.row.moveToNodeId ?? undefined;
    if (pinnedNodeId) {
      // A re-pack moves one replica at a time, always successor first, whatever the budget.
      steps.creates.push({ slot, pinnedNodeId });
      continue;
    }
    if (surgeRoom > 0) {
      surgeRoom -= 1;
      steps.creates.push({ slot, pinnedNodeId });
      continue;
    }
    // With no successor yet, removing the incumbents leaves the slot unserved if they served.
    const lost = entry.incumbents.some(({ row }) => isReady(row, ctx.listed)) ? 1 : 0;
    if (available - lost >= minAvailable) {
      available -= lost;
      steps.remove.push(...entry.incumbents);
      steps.creates.push({ slot, pinnedNodeId });
    }
  }
  steps.creates.sort((a, b) => a.slot - b.slot);

  return steps;
}

function byHighestSlot(a: { row: TReplicaRow }, b: { row: TReplicaRow }): number {
  return b.row.slot - a.row.slot;
}

// ---------------------------------------------------------------------------------------------
// 3. One replica's container: start it, or read its state back
// ---------------------------------------------------------------------------------------------

const STARTING_STATES: readonly ReplicaState[] = ["placed", "starting"];
const EXITED = new Set(["exited", "dead", "removing"]);

function syncRunning(
  row: TReplicaRow,
  own: TObservedContainer | undefined,
  ctx: TSyncContext,
): TAction[] {
  if (!own) {
    return [{ kind: "markFailed", replicaId: row.id, message: "its container is gone" }];
  }
  if (EXITED.has(own.state)) {
    return planCrash(row, own, ctx);
  }
  const startedAt = row.startedAt?.getTime();
  if (
    (row.restartCount ?? 0) > 0 &&
    startedAt !== undefined &&
    ctx.now - startedAt >= STABLE_RUN_MS
  ) {
    return [{ kind: "resetRestarts", replicaId: row.id }];
  }

  return [];
}

function syncStarting(
  row: TReplicaRow,
  own: TObservedContainer | undefined,
  ctx: TSyncContext,
): TAction[] {
  const nodeId = row.nodeId ?? "";
  if (!own || own.state === "created") {
    return [{ kind: "ensureContainer", replicaId: row.id, nodeId }];
  }
  if (own.state === "running") {
    const health = ctx.hasHealthCheck ? "starting" : "none";

    return [
      { kind: "markRunning", replicaId: row.id, containerId: own.id, ports: own.ports, health },
    ];
  }
  if (EXITED.has(own.state)) {
    return planCrash(row, own, ctx);
  }

  return [];
}

/** What a kept, placed row needs, from the containers that carry its id. */
function syncRow(
  row: TReplicaRow,
  containers: readonly TObservedContainer[],
  ctx: TSyncContext,
): TAction[] {
  if (row.nodeId === null || !ctx.listed.has(row.nodeId)) {
    return [];
  }
  const own = containers.find((container) => container.nodeId === row.nodeId);
  // A copy on another node (a placement changed mid-create) would run the replica twice.
  const strays: TAction[] = containers
    .filter((container) => container.nodeId !== row.nodeId)
    .map((container) => ({
      kind: "removeContainer",
      container: { nodeId: container.nodeId, containerId: container.id },
      reason: `replica ${row.id} belongs on another node`,
    }));
  if (row.state === "running") {
    return [...strays, ...syncRunning(row, own, ctx)];
  }
  if (STARTING_STATES.includes(row.state)) {
    return [...strays, ...syncStarting(row, own, ctx)];
  }
  if (row.state === "failed") {
    // A failed replica keeps its slot (and its container, for its logs); only a crash with a
    // restart pending is started again, never one that failed for a missing image or gave up.
    return [...strays, ...syncFailed(row, own, ctx.now)];
  }

  return strays;
}

// ---------------------------------------------------------------------------------------------
// 4. Crash restarts
// ---------------------------------------------------------------------------------------------

type TSyncContext = {
  listed: ReadonlySet<string>;
  restart: TRestartPolicy;
  hasHealthCheck: boolean;
  now: number;
};

/** The wait before restart number restartCount + 1: doubling from the initial, capped. */
export function backoffMs(restart: TRestartPolicy, restartCount: number): number {
  // Capped before the power grows past what a double holds exactly.
  const doublings = Math.min(restartCount, 52);

  return Math.min(restart.backoffInitialMs * 2 ** doublings, restart.backoffMaxMs);
}

/** The exit code in an engine status such as `Exited (3) 2 seconds ago`, when it has one. */
export function exitCodeOf(status: string): string {
  return /\((-?\d+)\)/.exec(status)?.[1] ?? "unknown";
}

/** A container that exited: wait and restart it, or after maxRestarts give up on it. */
export function planCrash(
  row: TReplicaRow,
  own: TObservedContainer,
  ctx: Pick<TSyncContext, "restart" | "now">,
): TAction[] {
  const restartCount = row.restartCount ?? 0;
  const exitCode = exitCodeOf(own.status);
  if (restartCount >= ctx.restart.maxRestarts) {
    const message =
      `crash loop: exited ${restartCount + 1} times; last exit code ${exitCode}. ` +
      "Fix the app and deploy a new revision.";

    return [{ kind: "giveUp", replicaId: row.id, message }];
  }
  const waitMs = backoffMs(ctx.restart, restartCount);
  const message =
    `its container exited with code ${exitCode}; restart ${restartCount + 1} of ` +
    `${ctx.restart.maxRestarts} in ${waitMs} ms`;

  return [{ kind: "scheduleRestart", replicaId: row.id, message, restartAt: ctx.now + waitMs }];
}

/** A failed row with a restart pending: start its container again once the wait is over. */
function syncFailed(row: TReplicaRow, own: TObservedContainer | undefined, now: number) {
  const restartAt = row.restartAt?.getTime();
  if (!own || !EXITED.has(own.state) || restartAt === undefined || now < restartAt) {
    return [];
  }
  const action: TAction = {
    kind: "restartContainer",
    replicaId: row.id,
    container: { nodeId: own.nodeId, containerId: own.id },
    restartCount: row.restartCount ?? 0,
  };

  return [action];
}

// ---------------------------------------------------------------------------------------------
// 5. The whole cluster
// ---------------------------------------------------------------------------------------------

function refsOf(containers: readonly TObservedContainer[] = []): TContainerRef[] {
  return containers.map((container) => ({ nodeId: container.nodeId, containerId: container.id }));
}

function removalsOf(
  removals: readonly TRemoval[],
  containersOf: ReadonlyMap<string, TObservedContainer[]>,
): TAction[] {
  return [...removals].sort(byHighestSlot).map(({ row, reason }) => ({
    kind: "removeReplica",
    replicaId: row.id,
    containers: refsOf(containersOf.get(row.id)),
    reason,
  }));
}

/**
 * The rollout's verdict: failed as soon as a replica of the new revision fails or turns
 * unhealthy; done once every slot has a ready replica of it and nothing else is left.
 */
function planRollout(
  desired: TDesiredApp,
  rows: readonly TReplicaRow[],
  settled: { replicas: number; slots: Map<number, TSlot>; isClean: boolean },
  { listed, same }: Pick<TAppContext, "listed" | "same">,
): TAction[] {
  const rollout = desired.rollout;
  if (rollout?.state !== "progressing") {
    return [];
  }
  const broken = rows.find(
    (row) => same.has(row.revisionId) && (row.state === "failed" || row.health === "unhealthy"),
  );
  if (broken) {
    const message = `replica ${broken.slot} of the new revision ${problemOf(broken)}`;

    return [{ kind: "failRollout", appId: desired.appId, rolloutId: rollout.id, message }];
  }
  const slots = [...Array(settled.replicas).keys()].map((slot) => settled.slots.get(slot));
  const isDone =
    settled.isClean &&
    slots.every(
      (slot) =>
        slot?.successor !== undefined &&
        slot.incumbents.length === 0 &&
        isReady(slot.successor, listed),
    );

  return isDone ? [{ kind: "completeRollout", appId: desired.appId, rolloutId: rollout.id }] : [];
}

function problemOf(row: TReplicaRow): string {
  if (row.state === "failed") {
    return `failed: ${row.lastError ?? "no reason given"}`;
  }

  return `failed its health check: ${row.healthMessage ?? "no answer"}`;
}

/** A current replica failing its health check outside a rollout is restarted like a crash. */
function planRecycles(
  slots: Map<number, TSlot>,
  containersOf: ReadonlyMap<string, TObservedContainer[]>,
  isRollingOut: boolean,
): TAction[] {
  if (isRollingOut) {
    return [];
  }

  return [...slots.values()].flatMap(({ successor }) => {
    const own = successor
      ? containersOf.get(successor.id)?.find((c) => c.nodeId === successor.nodeId)
      : undefined;
    if (!successor || successor.state !== "running" || successor.health !== "unhealthy") {
      return [];
    }
    if (!own || own.state !== "running") {
      return [];
    }
    const message = `health check failed: ${successor.healthMessage ?? "no answer"}`;
    const container = { nodeId: own.nodeId, containerId: own.id };

    return [{ kind: "recycle", replicaId: successor.id, container, message } as const];
  });
}

/** The actions for one app, in the order they should run. */
export function planApp(
  desired: TDesiredApp,
  rows: readonly TReplicaRow[],
  containersOf: ReadonlyMap<string, TObservedContainer[]>,
  input: Pick<TReconcileInput, "listedNodeIds" | "drainingNodeIds" | "lostNodeIds" | "now">,
): TAction[] {
  const ctx: TAppContext = {
    desired,
    listed: input.listedNodeIds,
    draining: input.drainingNodeIds ?? new Set(),
    lost: input.lostNodeIds ?? new Set(),
    same: new Set([desired.revisionId, ...(desired.sameSpecRevisionIds ?? [])]),
  };
  const { replicas, slots, remove } = sortIntoSlots(rows, ctx);
  for (const slot of slots.values()) {
    settleIncumbents(slot, ctx, remove);
  }
  const isClean = remove.length === 0;
  const steps = planSteps(replicas, slots, ctx);
  const removedIds = new Set(steps.remove.map(({ row }) => row.id));
  const kept = [...slots.values()].flatMap((slot) => [
    ...(slot.successor ? [slot.successor] : []),
    ...slot.incumbents.map(({ row }) => row).filter((row) => !removedIds.has(row.id)),
  ]);
  const creates: TAction[] = steps.creates.map(({ slot, pinnedNodeId }) => ({
    kind: "createRow",
    appId: desired.appId,
    revisionId: desired.revisionId,
    slot,
    ...(pinnedNodeId ? { pinnedNodeId } : {}),
  }));
  const toPlace = kept
    .filter((row) => row.nodeId === null && (row.state === "pending" || row.state === "unplaced"))
    .sort((a, b) => a.slot - b.slot);
  // A re-pack move's successor is placed on its own: it goes to one node, the rest anywhere.
  const groups = [
    toPlace.filter((row) => !row.pinnedNodeId),
    ...toPlace.filter((row) => row.pinnedNodeId).map((row) => [row]),
  ].filter((group) => group.length > 0);
  const place: TAction[] = groups.map((group) => ({
    kind: "place",
    appId: desired.appId,
    revisionId: desired.revisionId,
    replicaIds: group.map((row) => row.id),
  }));
  const sync: TSyncContext = {
    listed: ctx.listed,
    now: input.now,
    restart: desired.restart ?? DEFAULT_RESTART_POLICY,
    hasHealthCheck: desired.hasHealthCheck ?? false,
  };
  const syncs = kept.flatMap((row) => syncRow(row, containersOf.get(row.id) ?? [], sync));
  const rollout = planRollout(desired, rows, { replicas, slots, isClean }, ctx);
  const recycles = planRecycles(slots, containersOf, desired.rollout?.state === "progressing");
  const removeApp: TAction[] =
    desired.isDeleting && rows.length === 0 ? [{ kind: "removeApp", appId: desired.appId }] : [];

  return [
    ...removalsOf([...remove, ...steps.remove], containersOf),
    ...creates,
    ...place,
    ...syncs,
    ...recycles,
    ...rollout,
    ...removeApp,
  ];
}

/** Containers whose replica id no row knows: Berth made them, nothing wants them. */
export function planOrphans(
  rows: readonly TReplicaRow[],
  observed: readonly TObservedContainer[],
): TAction[] {
  const known = new Set(rows.map((row) => row.id));

  return observed
    .filter((container) => !known.has(container.replicaId))
    .map((container) => ({
      kind: "removeContainer",
      container: { nodeId: container.nodeId, containerId: container.id },
      reason: `no replica ${container.replicaId} in the database`,
    }));
}

/**
 * Every action for one pass. Rows of apps that are not listed (an app without a current
 * revision) are left alone; containers must be listed before rows are read, so that a
 * container seen here always had its row written first and is never mistaken for an orphan.
 */
export function planReconcile(input: TReconcileInput): TAction[] {
  const containersOf = new Map<string, TObservedContainer[]>();
  for (const container of input.observed) {
    const list = containersOf.get(container.replicaId) ?? [];
    list.push(container);
    containersOf.set(container.replicaId, list);
  }
  const perApp = input.apps.flatMap((desired) =>
    planApp(
      desired,
      input.rows.filter((row) => row.appId === desired.appId),
      containersOf,
      input,
    ),
  );

  return [...planOrphans(input.rows, input.observed), ...perApp];
}
