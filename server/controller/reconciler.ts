/**
 * The reconciler: makes the containers on the nodes follow the replicas the database wants.
 * Level-triggered: every pass observes the engines, reads the database, plans with the pure
 * `planReconcile` and applies the actions, each idempotent and keyed by replica id, so a pass
 * after any crash (its own included) converges to the same result.
 *
 * Passes run every second while leading, at once on an "app" change, and again straight away
 * while the previous pass changed something (bounded), so a deploy takes a few quick passes:
 * rows, then placement, then containers.
 *
 * Sections: 1 the loop, 2 observing, 3 rows and placement, 4 containers, 5 removal,
 * 6 deletes, 7 writes.
 */
import type Docker from "dockerode";
import type { Logger } from "pino";

import { diffSpecs } from "@/server/apps/diff";
import { finishDeleteApp, fullSpecOf, maskedSpecOf } from "@/server/apps/service";
import { loadCluster, toSchedulerSpec } from "@/server/apps/snapshot";
import { DEFAULT_LB_DRAIN_TIMEOUT_SECONDS } from "@/server/apps/spec";
import { SYSTEM_ACTOR } from "@/server/auth/principal";
import { advanceRepack } from "@/server/cluster/repack";
import { publishChange, subscribeChanges } from "@/server/bus";
import type {
  App,
  Node,
  Prisma,
  PrismaClient,
  Replica,
  Revision,
  Rollout,
} from "@/server/db/generated/client";
import {
  type TEngineTarget,
  createReplicaContainer,
  engineClient,
  inspectContainer,
  listLabelledContainers,
  removeContainer,
  startContainer,
  stopContainer,
} from "@/server/docker/engine";
import {
  LABEL_APP,
  LABEL_EPOCH,
  LABEL_INSTALLATION,
  LABEL_REPLICA,
  LABEL_REVISION,
} from "@/server/docker/labels";
import { BerthError } from "@/server/errors";
import { type TEventInput, announceEvent, recordEvent } from "@/server/events/service";
import { engineTargetOf } from "@/server/nodes/service";
import { placementSeed, planPlacement } from "@/server/scheduler";

import { containerNameOf, containerSpecOf } from "./container-spec";
import { Drains } from "./drains";
import { ImagePulls, PULL_TIMEOUT_MS } from "./image-pulls";
import { announceAppEvent, completeRollout, failRollout } from "./rollouts";
import { CONTROLLER_LEASE, holdsLease } from "./lease";
import {
  type TAction,
  type TContainerRef,
  type TDesiredApp,
  type TObservedContainer,
  planReconcile,
} from "./reconcile-plan";

export const RECONCILE_INTERVAL_MS = 1000;
export const FAILOVER_AFTER_MS = 30_000;
/** Passes in a row without waiting for the interval, while each one still changes something. */
const MAX_PASSES_IN_A_ROW = 10;
const CONTAINER_ENGINE_TIMEOUT_MS = 15_000;

export type TReconcilerOptions = {
  db: PrismaClient;
  log: Logger;
  /** The controller's lease epoch, stamped on every container this reconciler creates. */
  epoch: number;
  /** This database's id: only containers labelled with it are ours to manage. */
  installationId: string;
  /** Whether a missing image may be pulled from its registry (off in tests: no network). */
  canPullImages: boolean;
  /** How long a node may stay unreachable before its replicas are placed elsewhere. */
  failoverAfterMs?: number;
  intervalMs?: number;
  pullTimeoutMs?: number;
};

type TEngine = { node: Node; target: TEngineTarget; docker: Docker };

type TFailure = { restartAt?: Date | null; kind?: string; severity?: TEventInput["severity"] };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// 1. The loop
// ---------------------------------------------------------------------------------------------

export class Reconciler {
  private readonly log: Logger;
  private readonly engines = new Map<string, TEngine>();
  private readonly pulls: ImagePulls;
  private readonly drains: Drains;
  /** "old:current" revision pairs → same spec but the count; revisions never change. */
  private readonly sameSpec = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private isAgain = false;
  private isStopped = false;

  constructor(private readonly options: TReconcilerOptions) {
    this.log = options.log.child({ loop: "reconciler", epoch: options.epoch });
    this.pulls = new ImagePulls({
      log: this.log,
      canPull: options.canPullImages,
      timeoutMs: options.pullTimeoutMs ?? PULL_TIMEOUT_MS,
      forgetAfterMs: this.intervalMs * 2,
      onSettled: () => this.trigger(),
    });
    this.drains = new Drains({ db: options.db, log: this.log, onSettled: () => this.trigger() });
  }

  start(): void {
    this.log.info({ intervalMs: this.intervalMs }, "reconciler started");
    this.timer = setInterval(() => this.trigger(), this.intervalMs);
    void this.followChanges();
    this.trigger();
  }

  /** Stops the loop and waits for a pass in flight, so no two leaders act at once here. */
  async stop(): Promise<void> {
    this.isStopped = true;
    clearInterval(this.timer);
    this.drains.stop();
    this.abort.abort();
    await this.running;
  }

  private get intervalMs(): number {
    return this.options.intervalMs ?? RECONCILE_INTERVAL_MS;
  }

  private async followChanges(): Promise<void> {
    for await (const change of subscribeChanges(this.abort.signal)) {
      if (change.topic === "app" || change.topic === "resync") {
        this.trigger();
      }
    }
  }

  private trigger(): void {
    if (this.isStopped) {
      return;
    }
    if (this.running) {
      this.isAgain = true;

      return;
    }
    this.running = this.runPasses().finally(() => {
      this.running = undefined;
    });
  }

  private async runPasses(): Promise<void> {
    for (let count = 0; count < MAX_PASSES_IN_A_ROW && !this.isStopped; count += 1) {
      this.isAgain = false;
      const hasChanged = await this.pass().catch((error: unknown) => {
        this.log.warn({ err: error }, "reconcile pass failed");

        return false;
      });
      if (!hasChanged && !this.isAgain) {
        return;
      }
    }
  }

  /** One observe, plan, act cycle; true when it changed something. */
  async pass(): Promise<boolean> {
    const observed = await this.observe();
    // Rows are read after the containers are listed: see planReconcile.
    const { db } = this.options;
    const [rows, apps, rollouts, nodes] = await Promise.all([
      db.replica.findMany({ orderBy: [{ slot: "asc" }, { createdAt: "asc" }] }),
      db.app.findMany({ include: { currentRevision: true } }),
      db.rollout.findMany({ where: { state: { in: ["progressing", "failed"] } } }),
      db.node.findMany(),
    ]);
    const desired = await Promise.all(
      apps.flatMap((app) =>
        app.currentRevision ? [this.desiredOf(app, app.currentRevision, rows, rollouts)] : [],
      ),
    );
    const now = Date.now();
    const failoverAfterMs = this.options.failoverAfterMs ?? FAILOVER_AFTER_MS;
    const lostNodeIds = new Set(
      nodes
        .filter((node) => node.health === "unreachable")
        .filter(
          (node) => now - (node.lastHeartbeatAt ?? node.createdAt).getTime() > failoverAfterMs,
        )
        .map((node) => node.id),
    );
    const drainingNodeIds = new Set(
      nodes.filter((node) => node.availability === "draining").map((node) => node.id),
    );
    const actions = planReconcile({
      apps: desired,
      rows,
      ...observed,
      drainingNodeIds,
      lostNodeIds,
      now,
    });
    if (actions.length > 0) {
      this.log.debug({ actions: actions.length }, "reconcile pass");
    }
    // The fence: a leader that lost its lease since the pass began plans but never acts.
    if (!(await holdsLease(db, CONTROLLER_LEASE, this.options.epoch))) {
      this.log.warn("lease lost: pass not applied");

      return false;
    }
    const hasChanged = await this.apply(actions);
    const hasMoved = await advanceRepack(db, now).catch((error: unknown) => {
      this.log.warn({ err: error }, "re-pack step failed");

      return false;
    });

    return hasChanged || hasMoved;
  }

  /**
   * The app's wanted replicas. Replicas of an older revision that differs in the count only
   * (a scale) run what is wanted already, so they count as current rather than being replaced.
   */
  private async desiredOf(
    app: App,
    current: Revision,
    rows: readonly Replica[],
    rollouts: readonly Rollout[],
  ): Promise<TDesiredApp> {
    const olderIds = [
      ...new Set(
        rows
          .filter((r) => r.appId === app.id && r.revisionId !== current.id)
          .map((r) => r.revisionId),
      ),
    ];
    const unknown = olderIds.filter((id) => !this.sameSpec.has(`${id}:${current.id}`));
    if (unknown.length > 0) {
      const revisions = await this.options.db.revision.findMany({ where: { id: { in: unknown } } });
      const currentSpec = fullSpecOf(current);
      for (const revision of revisions) {
        const changes = diffSpecs(fullSpecOf(revision), currentSpec);
        // The count and the gateway's balancing are applied without replacing replicas.
        const isSame = changes.every(
          (change) => change.path === "replicas" || change.path.split(".")[0] === "lb",
        );
        this.sameSpec.set(`${revision.id}:${current.id}`, isSame);
      }
    }

    const spec = maskedSpecOf(current);
    const sameSpecRevisionIds = olderIds.filter((id) => this.sameSpec.get(`${id}:${current.id}`));
    const same = new Set([current.id, ...sameSpecRevisionIds]);
    const rollout = rollouts.find((r) => r.appId === app.id && same.has(r.toRevisionId));

    return {
      appId: app.id,
      revisionId: current.id,
      replicas: spec.replicas,
      restart: spec.restart,
      update: spec.update,
      hasHealthCheck: spec.healthCheck !== undefined,
      sameSpecRevisionIds,
      isDeleting: app.deleteRequestedAt !== null,
      ...(rollout && (rollout.state === "progressing" || rollout.state === "failed")
        ? { rollout: { id: rollout.id, state: rollout.state } }
        : {}),
    };
  }

  /** Removals first (they free capacity), then rows and placement, then containers. */
  private async apply(actions: TAction[]): Promise<boolean> {
    const results: boolean[] = [];
    const removals = actions.filter(isRemoval);
    results.push(...(await Promise.all(removals.map((action) => this.run(action)))));
    for (const action of actions) {
      if (!this.isStopped && (action.kind === "createRow" || action.kind === "place")) {
        results.push(await this.run(action));
      }
    }
    const rest = actions.filter((action) => !isRemoval(action) && !isRowAction(action));
    if (!this.isStopped) {
      results.push(...(await Promise.all(rest.map((action) => this.run(action)))));
    }

    return results.some(Boolean);
  }

  /** Runs one action; engine and database errors are logged, never thrown at the loop. */
  private async run(action: TAction): Promise<boolean> {
    try {
      return await this.dispatch(action);
    } catch (error) {
      this.log.warn({ err: error, action: action.kind, ...idsOf(action) }, "action failed");

      return false;
    }
  }

  private dispatch(action: TAction): Promise<boolean> {
    switch (action.kind) {
      case "createRow":
        return this.createRow(action);
      case "place":
        return this.place(action.appId, action.revisionId, action.replicaIds);
      case "ensureContainer":
        return this.ensureContainer(action.replicaId);
      case "markRunning":
        return this.markRunning(action);
      case "markFailed":
        return this.markFailed(action.replicaId, action.message);
      case "scheduleRestart":
        return this.markFailed(action.replicaId, action.message, {
          restartAt: new Date(action.restartAt),
          kind: "replica.crashed",
          severity: "warning",
        });
      case "giveUp":
        return this.markFailed(action.replicaId, action.message, { kind: "replica.crashLoop" });
      case "restartContainer":
        return this.restartContainer(action.replicaId, action.container, action.restartCount);
      case "removeReplica":
        return this.removeReplica(action.replicaId, action.containers, action.reason);
      case "removeContainer":
        return this.removeOrphan(action.container, action.reason);
      case "recycle":
        return this.recycle(action.replicaId, action.container, action.message);
      case "resetRestarts":
        return this.resetRestarts(action.replicaId);
      case "failRollout":
        return failRollout(this.context, action.appId, action.rolloutId, action.message);
      case "completeRollout":
        return completeRollout(this.context, action.appId, action.rolloutId);
      case "removeApp":
        return this.removeApp(action.appId);
    }
  }

  // -------------------------------------------------------------------------------------------
  // 2. Observing
  // -------------------------------------------------------------------------------------------

  /** Keeps one engine client per ready node, rebuilt when the node's address changes. */
  private async readyEngines(): Promise<TEngine[]> {
    const nodes = await this.options.db.node.findMany({ where: { health: "ready" } });
    const engines = nodes.map((node) => {
      const cached = this.engines.get(node.id);
      if (cached && cached.node.endpoint === node.endpoint) {
        cached.node = node;

        return cached;
      }
      const target = engineTargetOf(node);
      const engine = { node, target, docker: engineClient(target, CONTAINER_ENGINE_TIMEOUT_MS) };
      this.engines.set(node.id, engine);

      return engine;
    });

    return engines;
  }

  private async observe() {
    const engines = await this.readyEngines();
    const listed = await Promise.all(
      engines.map(async ({ node, target, docker }) => {
        try {
          const containers = await listLabelledContainers(
            docker,
            target,
            `${LABEL_INSTALLATION}=${this.options.installationId}`,
          );

          return { nodeId: node.id, containers };
        } catch (error) {
          // The node monitor turns the node unreachable within its timeout; until then a
          // short line per pass is enough.
          this.log.warn({ nodeId: node.id, error: messageOf(error) }, "could not list containers");

          return undefined;
        }
      }),
    );
    const observed: TObservedContainer[] = [];
    const listedNodeIds = new Set<string>();
    for (const entry of listed) {
      if (!entry) {
        continue;
      }
      listedNodeIds.add(entry.nodeId);
      for (const container of entry.containers) {
        observed.push({
          id: container.id,
          nodeId: entry.nodeId,
          replicaId: container.labels[LABEL_REPLICA] ?? "",
          state: container.state,
          status: container.status,
          ports: container.ports,
        });
      }
    }

    return { observed, listedNodeIds };
  }

  private engineOf(nodeId: string): TEngine {
    const engine = this.engines.get(nodeId);
    if (!engine) {
      throw new BerthError("NOT_FOUND", `node ${nodeId} is not among the ready nodes`, { nodeId });
    }

    return engine;
  }

  // -------------------------------------------------------------------------------------------
  // 3. Rows and placement
  // -------------------------------------------------------------------------------------------

  private async createRow(action: Extract<TAction, { kind: "createRow" }>): Promise<boolean> {
    const { appId, revisionId, slot, pinnedNodeId = null } = action;
    const row = await this.options.db.replica.create({
      data: { appId, revisionId, slot, state: "pending", pinnedNodeId },
    });
    this.log.info({ appId, replicaId: row.id, slot }, "replica added");
    await publishChange({ topic: "app", appId });

    return true;
  }

  /**
   * Places the app's pending rows in one scheduler call, so a spread app spreads; the
   * snapshot is read afresh, with every replica placed so far holding its node.
   */
  private async place(appId: string, revisionId: string, replicaIds: string[]): Promise<boolean> {
    const { db } = this.options;
    const revision = await db.revision.findUniqueOrThrow({ where: { id: revisionId } });
    const spec = maskedSpecOf(revision);
    const { canPullImages: canPull } = this.options;
    const cluster = await loadCluster(db, { canPull });
    const request = {
      ...toSchedulerSpec(appId, spec, cluster.appIdsByName, canPull),
      replicas: replicaIds.length,
    };
    const rows = await db.replica.findMany({ where: { id: { in: replicaIds } } });
    // A re-pack move's successor (placed alone) goes to its node or nowhere.
    const pinned = rows.length === 1 ? rows[0]?.pinnedNodeId : null;
    const snapshot = pinned
      ? { ...cluster.snapshot, nodes: cluster.snapshot.nodes.filter((n) => n.id === pinned) }
      : cluster.snapshot;
    const result = planPlacement(snapshot, request, placementSeed(spec.name));
    const writes = replicaIds.map((replicaId, index) => {
      const placed = result.plan.placements.find((p) => p.replicaIndex === index);
      const explanation = (result.explanation.replicas[index] ?? {}) as Prisma.InputJsonValue;
      const message = result.explanation.replicas[index]?.message ?? "no node fits";
      const row = rows.find((candidate) => candidate.id === replicaId);
      if (placed) {
        return this.writePlaced(appId, replicaId, placed.nodeId, explanation);
      }
      // An unplaced row is retried every pass; write only what changed.
      if (!row || (row.state === "unplaced" && row.lastError === message)) {
        return Promise.resolve(false);
      }

      return this.writeUnplaced(appId, replicaId, message, explanation);
    });

    return (await Promise.all(writes)).some(Boolean);
  }

  private async writePlaced(
    appId: string,
    replicaId: string,
    nodeId: string,
    explanation: Prisma.InputJsonValue,
  ): Promise<boolean> {
    const { count } = await this.options.db.replica.updateMany({
      where: { id: replicaId, nodeId: null, state: { in: ["pending", "unplaced"] } },
      data: { nodeId, state: "placed", explanation, lastError: null },
    });
    this.log.info({ appId, replicaId, nodeId }, "replica placed");
    await publishChange({ topic: "app", appId });

    return count > 0;
  }

  private async writeUnplaced(
    appId: string,
    replicaId: string,
    message: string,
    explanation: Prisma.InputJsonValue,
  ): Promise<boolean> {
    const { count } = await this.options.db.replica.updateMany({
      where: { id: replicaId, nodeId: null, state: { in: ["pending", "unplaced"] } },
      data: { state: "unplaced", explanation, lastError: message },
    });
    this.log.warn({ appId, replicaId, reason: message }, "replica unplaced");
    await publishChange({ topic: "app", appId });

    return count > 0;
  }

  // -------------------------------------------------------------------------------------------
  // 4. Containers
  // -------------------------------------------------------------------------------------------

  /**
   * Creates (unless it exists) and starts the replica's container, then reads back its ports.
   * The container's name comes from the replica id, which makes a retry after a crash find
   * the first attempt's container instead of making a second.
   */
  private async ensureContainer(replicaId: string): Promise<boolean> {
    const { db } = this.options;
    const replica = await db.replica.findUnique({
      where: { id: replicaId },
      include: { app: true, revision: true },
    });
    if (!replica?.nodeId || !["placed", "starting"].includes(replica.state)) {
      return false;
    }
    const engine = this.engineOf(replica.nodeId);
    const log = this.log.child({ appId: replica.appId, replicaId, nodeId: replica.nodeId });
    const spec = fullSpecOf(replica.revision);
    await db.replica.update({ where: { id: replicaId }, data: { state: "starting" } });
    const image = await this.pulls.ensure(engine, spec.image);
    if (image.state === "failed") {
      return this.markFailed(replicaId, image.message);
    }
    if (image.state === "pulling") {
      return this.writeProgress(replica, image.progress);
    }
    const name = containerNameOf(replica.app.name, replica.slot, replicaId);
    const containerSpec = {
      ...containerSpecOf(spec, engine.node),
      name,
      labels: this.labelsOf(replica),
    };
    const containerId = await createReplicaContainer(engine.docker, engine.target, containerSpec);
    await db.replica.update({ where: { id: replicaId }, data: { containerId } });
    log.info({ containerId }, "container created");

    return this.startAndRead(engine, replicaId, containerId);
  }

  private async startAndRead(engine: TEngine, replicaId: string, containerId: string) {
    try {
      await startContainer(engine.docker, engine.target, containerId);
    } catch (error) {
      return this.markFailed(replicaId, `its container did not start: ${messageOf(error)}`);
    }
    const details = await inspectContainer(engine.docker, engine.target, containerId);
    if (!details) {
      return this.markFailed(replicaId, "its container stopped right after start: gone");
    }
    if (!details.isRunning) {
      // A crash on start is a crash like any other: the next pass sees the exited container
      // and plans its restart with backoff (or gives up).
      this.log.warn({ replicaId, containerId, exitCode: details.exitCode }, "container exited");

      return true;
    }

    // The next pass marks it running with the health it starts with.
    return true;
  }

  /** Shows a pull's progress on the replica; false, so the loop waits for its interval. */
  private async writeProgress(replica: Replica, progress: string): Promise<boolean> {
    if (replica.progress !== progress) {
      await this.options.db.replica.updateMany({
        where: { id: replica.id, state: "starting" },
        data: { progress },
      });
      await publishChange({ topic: "app", appId: replica.appId });
    }

    return false;
  }

  private labelsOf(replica: Replica): Record<string, string> {
    return {
      [LABEL_APP]: replica.appId,
      [LABEL_REVISION]: replica.revisionId,
      [LABEL_REPLICA]: replica.id,
      [LABEL_EPOCH]: String(this.options.epoch),
      [LABEL_INSTALLATION]: this.options.installationId,
    };
  }

  /**
   * Claims the restart on the row first (conditional on the count the plan saw), so that two
   * passes never start the container twice; then starts the same container, keeping its logs.
   * The next pass marks it running, or sees it exit again.
   */
  private async restartContainer(
    replicaId: string,
    ref: TContainerRef,
    restartCount: number,
  ): Promise<boolean> {
    const { db } = this.options;
    const { count } = await db.replica.updateMany({
      where: { id: replicaId, state: "failed", restartCount, restartAt: { not: null } },
      data: { state: "starting", restartCount: restartCount + 1, restartAt: null },
    });
    if (count === 0) {
      return false;
    }
    const engine = this.engineOf(ref.nodeId);
    await startContainer(engine.docker, engine.target, ref.containerId);
    const replica = await db.replica.findUniqueOrThrow({
      where: { id: replicaId },
      include: { app: true },
    });
    this.log.info(
      { appId: replica.appId, replicaId, nodeId: ref.nodeId, restartCount: restartCount + 1 },
      "replica restarted",
    );
    await this.announce(replica.appId, {
      kind: "replica.restarted",
      severity: "info",
      message: `replica ${replica.slot} of ${replica.app.name} restarted (${restartCount + 1})`,
      actor: SYSTEM_ACTOR,
      appId: replica.appId,
      nodeId: ref.nodeId,
      data: { replicaId, containerId: ref.containerId, restartCount: restartCount + 1 },
    });

    return true;
  }

  // -------------------------------------------------------------------------------------------
  // 5. Removal
  // -------------------------------------------------------------------------------------------

  /**
   * Marks the row stopping, drains it while gateways may still send it requests (see
   * `Drains`), then removes its containers and deletes the row. A pass does not wait for a
   * drain: it returns, and the pass woken when the drain ends finishes the removal. A crash in
   * between leaves a stopping row, which the next leader drains again and removes.
   */
  private async removeReplica(
    replicaId: string,
    containers: TContainerRef[],
    reason: string,
  ): Promise<boolean> {
    const { db } = this.options;
    const replica = await db.replica.findUniqueOrThrow({
      where: { id: replicaId },
      include: { node: { select: { health: true } }, app: { include: { currentRevision: true } } },
    });
    const isMarking = replica.state !== "stopping";
    if (isMarking) {
      await db.replica.update({ where: { id: replicaId }, data: { state: "stopping" } });
      // Gateways reload the route now: the replica gets no new requests from here on.
      await publishChange({ topic: "app", appId: replica.appId });
    }
    const maySend = ["running", "stopping"].includes(replica.state);
    if (maySend && replica.node?.health === "ready") {
      const timeoutMs = drainTimeoutMsOf(replica.app.currentRevision);
      if (this.drains.ensure(replicaId, replica.appId, timeoutMs) === "draining") {
        return isMarking;
      }
    }
    for (const ref of containers) {
      const engine = this.engineOf(ref.nodeId);
      await removeContainer(engine.docker, engine.target, ref.containerId);
    }
    await db.replica.delete({ where: { id: replicaId } });
    this.drains.forget(replicaId);
    this.log.info(
      { appId: replica.appId, replicaId, nodeId: replica.nodeId, reason },
      "replica removed",
    );
    await this.announce(replica.appId, {
      kind: "replica.removed",
      message: `replica ${replica.slot} of ${replica.app.name} removed: ${reason}`,
      actor: SYSTEM_ACTOR,
      appId: replica.appId,
      nodeId: replica.nodeId ?? undefined,
      data: { replicaId, slot: replica.slot },
    });

    return true;
  }

  private async removeOrphan(ref: TContainerRef, reason: string): Promise<boolean> {
    const engine = this.engineOf(ref.nodeId);
    await removeContainer(engine.docker, engine.target, ref.containerId);
    this.log.info({ nodeId: ref.nodeId, containerId: ref.containerId, reason }, "orphan removed");
    const shortId = ref.containerId.slice(0, 12);
    const eventId = await recordEvent(this.options.db, {
      kind: "container.orphanRemoved",
      severity: "warning",
      message: `container ${shortId} on ${engine.node.name} removed: ${reason}`,
      actor: SYSTEM_ACTOR,
      nodeId: ref.nodeId,
      data: { containerId: ref.containerId },
    });
    await announceEvent(eventId);

    return true;
  }

  /** Stops a replica that fails its health check; its restart then follows the crash path. */
  private async recycle(replicaId: string, ref: TContainerRef, message: string) {
    const engine = this.engineOf(ref.nodeId);
    await stopContainer(engine.docker, engine.target, ref.containerId);
    const replica = await this.options.db.replica.findUniqueOrThrow({
      where: { id: replicaId },
      include: { app: true },
    });
    this.log.warn({ appId: replica.appId, replicaId, reason: message }, "replica recycled");
    await this.announce(replica.appId, {
      kind: "replica.unhealthy",
      severity: "warning",
      message: `replica ${replica.slot} of ${replica.app.name} stopped to restart: ${message}`,
      actor: SYSTEM_ACTOR,
      appId: replica.appId,
      nodeId: ref.nodeId,
      data: { replicaId, containerId: ref.containerId },
    });

    return true;
  }

  private async resetRestarts(replicaId: string): Promise<boolean> {
    const { count } = await this.options.db.replica.updateMany({
      where: { id: replicaId, state: "running" },
      data: { restartCount: 0 },
    });

    return count > 0;
  }

  // -------------------------------------------------------------------------------------------
  // 6. Deletes
  // -------------------------------------------------------------------------------------------

  private async removeApp(appId: string): Promise<boolean> {
    await finishDeleteApp(this.options.db, appId);
    this.log.info({ appId }, "app removed");

    return true;
  }

  // -------------------------------------------------------------------------------------------
  // 7. State writes, each with its event and change notification
  // -------------------------------------------------------------------------------------------

  /** Conditional on the state, so a replica is announced started once, however many passes. */
  private async markRunning(action: Extract<TAction, { kind: "markRunning" }>) {
    const { replicaId, containerId, ports, health } = action;
    const { db } = this.options;
    const { count } = await db.replica.updateMany({
      where: { id: replicaId, state: { in: ["placed", "starting"] } },
      data: {
        state: "running",
        containerId,
        hostPorts: ports,
        lastError: null,
        health,
        healthMessage: null,
        progress: null,
        startedAt: new Date(),
      },
    });
    if (count === 0) {
      return false;
    }
    const replica = await db.replica.findUniqueOrThrow({
      where: { id: replicaId },
      include: { app: true, node: true },
    });
    this.log.info(
      { appId: replica.appId, replicaId, nodeId: replica.nodeId, containerId },
      "replica running",
    );
    await this.announce(replica.appId, {
      kind: "replica.started",
      message: `replica ${replica.slot} of ${replica.app.name} running on ${replica.node?.name}`,
      actor: SYSTEM_ACTOR,
      appId: replica.appId,
      nodeId: replica.nodeId ?? undefined,
      data: { replicaId, containerId, hostPorts: ports },
    });

    return true;
  }

  /**
   * With restartAt, a crash that the reconciler restarts then (a warning: it heals itself);
   * without, a failure for good, which needs a person (an error).
   */
  private async markFailed(
    replicaId: string,
    message: string,
    { restartAt = null, kind = "replica.failed", severity = "error" }: TFailure = {},
  ): Promise<boolean> {
    const { db } = this.options;
    const { count } = await db.replica.updateMany({
      where: { id: replicaId, state: { notIn: ["failed", "stopping"] } },
      data: { state: "failed", lastError: message, restartAt, progress: null },
    });
    if (count === 0) {
      return false;
    }
    const replica = await db.replica.findUniqueOrThrow({
      where: { id: replicaId },
      include: { app: true },
    });
    this.log.warn(
      { appId: replica.appId, replicaId, nodeId: replica.nodeId, reason: message },
      "replica failed",
    );
    await this.announce(replica.appId, {
      kind,
      severity,
      message: `replica ${replica.slot} of ${replica.app.name} failed: ${message}`,
      actor: SYSTEM_ACTOR,
      appId: replica.appId,
      nodeId: replica.nodeId ?? undefined,
      data: { replicaId },
    });

    return true;
  }

  private async announce(appId: string, event: TEventInput): Promise<void> {
    await announceAppEvent(this.options.db, appId, event);
  }

  private get context() {
    return { db: this.options.db, log: this.log };
  }
}

/**
 * How long a replica of this revision may drain: lb.drainTimeoutSeconds, or none when the app
 * has no TCP port (no gateway sends it anything).
 */
function drainTimeoutMsOf(revision: Revision | null): number {
  if (!revision) {
    return 0;
  }
  const spec = maskedSpecOf(revision);
  if (!spec.ports.some((port) => port.protocol === "tcp")) {
    return 0;
  }

  return (spec.lb?.drainTimeoutSeconds ?? DEFAULT_LB_DRAIN_TIMEOUT_SECONDS) * 1000;
}

function isRemoval(action: TAction): boolean {
  return action.kind === "removeReplica" || action.kind === "removeContainer";
}

function isRowAction(action: TAction): boolean {
  return action.kind === "createRow" || action.kind === "place";
}

function idsOf(action: TAction): Record<string, string> {
  if ("replicaId" in action) {
    return { replicaId: action.replicaId };
  }
  if ("container" in action) {
    return { nodeId: action.container.nodeId, containerId: action.container.containerId };
  }

  return { appId: action.appId };
}
