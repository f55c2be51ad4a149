/**
 * The reconciler's pure step: desired replicas, replica rows and the containers the engines
 * report in; the actions that bring the second and third in line with the first out. No
 * database, no Docker, no clock: the same inputs give the same actions, so a pass after a
 * crash plans exactly what the crashed one would have.
 *
 * Sections: 1 types, 2 one app's rows, 3 one replica's container, 4 crash restarts,
 * 5 the whole cluster.
 */
import type { ReplicaState } from "@/server/db/generated/client";

// ---------------------------------------------------------------------------------------------
// 1. Types
// ---------------------------------------------------------------------------------------------

/**
 * A rolling update runs at most this many slots with both an old and a new replica at once.
 * TODO(reconciler): honour spec.update.maxSurge and maxUnavailable with health checks.
 */
export const UPDATE_SURGE = 1;

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

export type TDesiredApp = {
  appId: string;
  revisionId: string;
  replicas: number;
  restart?: TRestartPolicy;
  /**
   * Older revisions whose spec differs from the current one in the replica count only: their
   * replicas already run what is wanted, so a scale never replaces them.
   */
  sameSpecRevisionIds?: readonly string[];
};

export type TReplicaRow = {
  id: string;
  appId: string;
  revisionId: string;
  slot: number;
  nodeId: string | null;
  state: ReplicaState;
  /** Crash restarts in a row so far. */
  restartCount?: number;
  /** When a crashed replica may be restarted next; null when none is pending. */
  restartAt?: Date | null;
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
  | { kind: "createRow"; appId: string; revisionId: string; slot: number }
  | { kind: "place"; appId: string; revisionId: string; replicaIds: string[] }
  | { kind: "ensureContainer"; replicaId: string; nodeId: string }
  | { kind: "markRunning"; replicaId: string; containerId: string; ports: TPublished[] }
  | { kind: "markFailed"; replicaId: string; message: string }
  | { kind: "scheduleRestart"; replicaId: string; message: string; restartAt: number }
  | { kind: "giveUp"; replicaId: string; message: string }
  | { kind: "restartContainer"; replicaId: string; container: TContainerRef; restartCount: number }
  | { kind: "removeReplica"; replicaId: string; containers: TContainerRef[]; reason: string }
  | { kind: "removeContainer"; container: TContainerRef; reason: string };

export type TReconcileInput = {
  apps: readonly TDesiredApp[];
  rows: readonly TReplicaRow[];
  observed: readonly TObservedContainer[];
  /** Nodes whose containers were listed this pass; on others, absence proves nothing. */
  listedNodeIds: ReadonlySet<string>;
  /** The pass's clock (ms since the epoch), passed in so that the plan stays pure. */
  now: number;
};

// ---------------------------------------------------------------------------------------------
// 2. One app's rows: which to create, keep and remove
// ---------------------------------------------------------------------------------------------

type TRowPlan = { keep: TReplicaRow[]; remove: { row: TReplicaRow; reason: string }[] };

/** One current-revision row per slot below the desired count; the rest go, highest first. */
function splitCurrent(desired: TDesiredApp, rows: readonly TReplicaRow[]) {
  const bySlot = new Map<number, TReplicaRow>();
  const remove: TRowPlan["remove"] = [];
  for (const row of rows) {
    if (row.state === "stopping") {
      // A removal a previous pass began (perhaps in a process that since died) is finished.
      remove.push({ row, reason: "removal in progress" });
    } else if (row.slot >= desired.replicas) {
      remove.push({ row, reason: `scaled to ${desired.replicas}` });
    } else if (bySlot.has(row.slot)) {
      remove.push({ row, reason: `duplicate of slot ${row.slot}` });
    } else {
      bySlot.set(row.slot, row);
    }
  }

  return { bySlot, remove };
}

/**
 * An old revision's running replica stays until the new revision's replica in its slot runs;
 * anything else of an old revision has nothing to protect and goes at once.
 */
function splitOld(
  desired: TDesiredApp,
  rows: readonly TReplicaRow[],
  current: ReadonlyMap<number, TReplicaRow>,
) {
  const keep: TReplicaRow[] = [];
  const remove: TRowPlan["remove"] = [];
  for (const row of rows) {
    const successor = current.get(row.slot);
    if (row.slot >= desired.replicas) {
      remove.push({ row, reason: `scaled to ${desired.replicas}` });
    } else if (row.state !== "running") {
      remove.push({ row, reason: "replaced by a new revision" });
    } else if (successor?.state === "running") {
      remove.push({ row, reason: "replaced by a running replica of the new revision" });
    } else {
      keep.push(row);
    }
  }

  return { keep, remove };
}

/** Slots that lack a current-revision row, with the surge limit on slots an old one holds. */
function slotsToCreate(
  desired: TDesiredApp,
  current: ReadonlyMap<number, TReplicaRow>,
  oldKept: readonly TReplicaRow[],
): number[] {
  const heldByOld = new Set(oldKept.map((row) => row.slot));
  let inFlight = [...current.keys()].filter((slot) => heldByOld.has(slot)).length;
  const slots: number[] = [];
  for (let slot = 0; slot < desired.replicas; slot += 1) {
    if (current.has(slot)) {
      continue;
    }
    if (heldByOld.has(slot)) {
      if (inFlight >= UPDATE_SURGE) {
        continue;
      }
      inFlight += 1;
    }
    slots.push(slot);
  }

  return slots;
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
    return [{ kind: "markRunning", replicaId: row.id, containerId: own.id, ports: own.ports }];
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

type TSyncContext = { listed: ReadonlySet<string>; restart: TRestartPolicy; now: number };

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

/** The actions for one app, in the order they should run. */
export function planApp(
  desired: TDesiredApp,
  rows: readonly TReplicaRow[],
  containersOf: ReadonlyMap<string, TObservedContainer[]>,
  listed: ReadonlySet<string>,
  now: number,
): TAction[] {
  const same = new Set([desired.revisionId, ...(desired.sameSpecRevisionIds ?? [])]);
  const current = splitCurrent(
    desired,
    rows.filter((row) => same.has(row.revisionId)),
  );
  const old = splitOld(
    desired,
    rows.filter((row) => !same.has(row.revisionId)),
    current.bySlot,
  );
  const kept = [...current.bySlot.values(), ...old.keep];
  const toPlace = [...current.bySlot.values()].filter(
    (row) => row.nodeId === null && (row.state === "pending" || row.state === "unplaced"),
  );
  const removals: TAction[] = [...current.remove, ...old.remove]
    .sort(byHighestSlot)
    .map(({ row, reason }) => ({
      kind: "removeReplica",
      replicaId: row.id,
      containers: refsOf(containersOf.get(row.id)),
      reason,
    }));
  const creates: TAction[] = slotsToCreate(desired, current.bySlot, old.keep).map((slot) => ({
    kind: "createRow",
    appId: desired.appId,
    revisionId: desired.revisionId,
    slot,
  }));
  const place: TAction[] =
    toPlace.length === 0
      ? []
      : [
          {
            kind: "place",
            appId: desired.appId,
            revisionId: desired.revisionId,
            replicaIds: toPlace.sort((a, b) => a.slot - b.slot).map((row) => row.id),
          },
        ];
  const ctx = { listed, now, restart: desired.restart ?? DEFAULT_RESTART_POLICY };
  const syncs = kept.flatMap((row) => syncRow(row, containersOf.get(row.id) ?? [], ctx));

  return [...removals, ...creates, ...place, ...syncs];
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
      input.listedNodeIds,
      input.now,
    ),
  );

  return [...planOrphans(input.rows, input.observed), ...perApp];
}
