import { describe, expect, it } from "vitest";

import fc from "fast-check";

import {
  type TAction,
  type TDesiredApp,
  type TObservedContainer,
  type TReconcileInput,
  type TReplicaRow,
  type TRestartPolicy,
  backoffMs,
  exitCodeOf,
  planReconcile,
} from "./reconcile-plan";

const APP = "app-1";
const REV1 = "rev-1";
const REV2 = "rev-2";
const NODES = new Set(["n1", "n2", "n3"]);
const NOW = Date.UTC(2026, 11, 3, 18, 0, 0);

function row(id: string, slot: number, extra: Partial<TReplicaRow> = {}): TReplicaRow {
  return { id, appId: APP, revisionId: REV1, slot, nodeId: "n1", state: "running", ...extra };
}

function container(replicaId: string, extra: Partial<TObservedContainer> = {}) {
  return {
    id: `c-${replicaId}`,
    nodeId: "n1",
    replicaId,
    state: "running",
    status: "Up 3 seconds",
    ports: [],
    ...extra,
  } satisfies TObservedContainer;
}

function plan(
  replicas: number,
  rows: TReplicaRow[],
  observed: TObservedContainer[] = [],
  revisionId = REV1,
): TAction[] {
  const apps: TDesiredApp[] = [{ appId: APP, revisionId, replicas }];

  return planReconcile({ apps, rows, observed, listedNodeIds: NODES, now: NOW });
}

function kinds(actions: TAction[]): string[] {
  return actions.map((action) => action.kind);
}

describe("planReconcile: rows", () => {
  it("creates one row per missing slot", () => {
    const actions = plan(3, []);

    expect(actions).toEqual(
      [0, 1, 2].map((slot) => ({ kind: "createRow", appId: APP, revisionId: REV1, slot })),
    );
  });

  it("places pending and unplaced rows in one call, by slot", () => {
    const rows = [
      row("b", 1, { nodeId: null, state: "unplaced" }),
      row("a", 0, { nodeId: null, state: "pending" }),
    ];

    expect(plan(2, rows)).toEqual([
      { kind: "place", appId: APP, revisionId: REV1, replicaIds: ["a", "b"] },
    ]);
  });

  it("removes rows above the desired count, highest slot first", () => {
    const rows = [0, 1, 2, 3].map((slot) => row(`r${slot}`, slot));
    const observed = rows.map((r) => container(r.id));
    const actions = plan(2, rows, observed);

    expect(actions.map((a) => (a.kind === "removeReplica" ? a.replicaId : a.kind))).toEqual([
      "r3",
      "r2",
    ]);
    expect(actions[0]).toMatchObject({ containers: [{ nodeId: "n1", containerId: "c-r3" }] });
  });

  it("removes a duplicate row for a slot and finishes removals a crash interrupted", () => {
    const rows = [row("a", 0), row("dup", 0), row("s", 1, { state: "stopping" })];
    const observed = [container("a"), container("dup"), container("s")];
    const removed = plan(2, rows, observed).flatMap((a) =>
      a.kind === "removeReplica" ? [a.replicaId] : [],
    );

    expect(removed.sort()).toEqual(["dup", "s"]);
  });

  it("does nothing when every replica runs", () => {
    const rows = [row("a", 0), row("b", 1, { nodeId: "n2" })];
    const observed = [container("a"), container("b", { nodeId: "n2" })];

    expect(plan(2, rows, observed)).toEqual([]);
  });
});

describe("planReconcile: containers", () => {
  it("starts placed rows without a container, or with one only created", () => {
    const rows = [row("a", 0, { state: "placed" }), row("b", 1, { state: "starting" })];
    const observed = [container("b", { state: "created" })];

    expect(plan(2, rows, observed)).toEqual([
      { kind: "ensureContainer", replicaId: "a", nodeId: "n1" },
      { kind: "ensureContainer", replicaId: "b", nodeId: "n1" },
    ]);
  });

  it("marks a starting row running from its running container, with its ports", () => {
    const ports = [{ containerPort: 8080, protocol: "tcp", hostIp: "127.0.0.2", hostPort: 32768 }];
    const actions = plan(1, [row("a", 0, { state: "starting" })], [container("a", { ports })]);

    expect(actions).toEqual([
      { kind: "markRunning", replicaId: "a", containerId: "c-a", ports, health: "none" },
    ]);
  });

  it("schedules a restart of an exited container, and fails a row whose container is gone", () => {
    const rows = [row("a", 0), row("b", 1)];
    const observed = [container("a", { state: "exited", status: "Exited (1) 2 seconds ago" })];
    const actions = plan(2, rows, observed);

    expect(actions).toEqual([
      {
        kind: "scheduleRestart",
        replicaId: "a",
        message: "its container exited with code 1; restart 1 of 10 in 1000 ms",
        restartAt: NOW + 1000,
      },
      { kind: "markFailed", replicaId: "b", message: "its container is gone" },
    ]);
  });

  it("leaves rows on nodes it could not list alone", () => {
    const rows = [row("a", 0, { nodeId: "n9" }), row("b", 1, { nodeId: "n9", state: "placed" })];

    expect(plan(2, rows)).toEqual([]);
  });

  it("removes containers no row knows, and copies of a replica on the wrong node", () => {
    const observed = [
      container("a"),
      container("a", { id: "c-copy", nodeId: "n2" }),
      container("ghost"),
    ];
    const actions = plan(1, [row("a", 0)], observed);

    expect(kinds(actions)).toEqual(["removeContainer", "removeContainer"]);
    expect(actions).toContainEqual(
      expect.objectContaining({ container: { nodeId: "n1", containerId: "c-ghost" } }),
    );
    expect(actions).toContainEqual(
      expect.objectContaining({ container: { nodeId: "n2", containerId: "c-copy" } }),
    );
  });
});

describe("planReconcile: a new revision", () => {
  const oldRows = [row("o0", 0), row("o1", 1), row("o2", 2)];
  const oldContainers = oldRows.map((r) => container(r.id));

  it("adds one new replica at a time while old ones run (surge of 1)", () => {
    const actions = plan(3, oldRows, oldContainers, REV2);

    expect(actions).toEqual([{ kind: "createRow", appId: APP, revisionId: REV2, slot: 0 }]);
  });

  it("keeps the old replica until the new one in its slot runs", () => {
    const rows = [...oldRows, row("n0", 0, { revisionId: REV2, state: "starting" })];
    const actions = plan(3, rows, [...oldContainers, container("n0", { state: "created" })], REV2);

    expect(actions).toEqual([{ kind: "ensureContainer", replicaId: "n0", nodeId: "n1" }]);
  });

  it("removes the old replica once the new one runs, and starts the next slot", () => {
    const rows = [...oldRows, row("n0", 0, { revisionId: REV2 })];
    const actions = plan(3, rows, [...oldContainers, container("n0")], REV2);

    expect(actions).toEqual([
      {
        kind: "removeReplica",
        replicaId: "o0",
        containers: [{ nodeId: "n1", containerId: "c-o0" }],
        reason: "replaced by a new revision; its successor is ready",
      },
      { kind: "createRow", appId: APP, revisionId: REV2, slot: 1 },
    ]);
  });

  it("replaces old replicas that are not running at once", () => {
    const rows = [row("o0", 0, { state: "failed" }), row("o1", 1, { state: "failed" })];

    expect(kinds(plan(2, rows, [], REV2))).toEqual([
      "removeReplica",
      "removeReplica",
      "createRow",
      "createRow",
    ]);
  });
});

describe("planReconcile: a scale", () => {
  it("keeps replicas of a revision that differs only in its replica count", () => {
    const rows = [row("o0", 0), row("o1", 1)];
    const apps: TDesiredApp[] = [
      { appId: APP, revisionId: REV2, replicas: 3, sameSpecRevisionIds: [REV1] },
    ];
    const observed = rows.map((r) => container(r.id));
    const actions = planReconcile({ apps, rows, observed, listedNodeIds: NODES, now: NOW });

    expect(actions).toEqual([{ kind: "createRow", appId: APP, revisionId: REV2, slot: 2 }]);
  });
});

describe("backoffMs", () => {
  const policy: TRestartPolicy = { maxRestarts: 10, backoffInitialMs: 1000, backoffMaxMs: 5000 };

  it("doubles from the initial wait with each restart, up to the maximum", () => {
    const waits = [0, 1, 2, 3, 4, 10].map((count) => backoffMs(policy, count));

    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it("stays at the maximum for counts far past where the doubling overflows", () => {
    expect(backoffMs(policy, 5000)).toBe(5000);
  });
});

describe("exitCodeOf", () => {
  it("reads the exit code from an engine status", () => {
    expect(exitCodeOf("Exited (3) 2 seconds ago")).toBe("3");
    expect(exitCodeOf("Exited (137) About a minute ago")).toBe("137");
    expect(exitCodeOf("dead")).toBe("unknown");
  });
});

describe("planReconcile: crash restarts", () => {
  const restart: TRestartPolicy = { maxRestarts: 2, backoffInitialMs: 1000, backoffMaxMs: 2000 };
  const exited = container("a", { state: "exited", status: "Exited (3) 1 second ago" });

  function planWith(rows: TReplicaRow[], observed: TObservedContainer[]): TAction[] {
    const apps: TDesiredApp[] = [{ appId: APP, revisionId: REV1, replicas: 1, restart }];

    return planReconcile({ apps, rows, observed, listedNodeIds: NODES, now: NOW });
  }

  it("schedules the restart after the backoff for the restarts so far", () => {
    const actions = planWith([row("a", 0, { restartCount: 1 })], [exited]);

    expect(actions).toEqual([
      {
        kind: "scheduleRestart",
        replicaId: "a",
        message: "its container exited with code 3; restart 2 of 2 in 2000 ms",
        restartAt: NOW + 2000,
      },
    ]);
  });

  it("treats a container that exits while starting as a crash too", () => {
    const actions = planWith([row("a", 0, { state: "starting" })], [exited]);

    expect(actions).toMatchObject([{ kind: "scheduleRestart", restartAt: NOW + 1000 }]);
  });

  it("restarts the same container once the restart is due", () => {
    const due = row("a", 0, { state: "failed", restartCount: 1, restartAt: new Date(NOW) });
    const actions = planWith([due], [exited]);

    expect(actions).toEqual([
      {
        kind: "restartContainer",
        replicaId: "a",
        container: { nodeId: "n1", containerId: "c-a" },
        restartCount: 1,
      },
    ]);
  });

  it("waits while the restart is not due yet", () => {
    const waiting = row("a", 0, { state: "failed", restartAt: new Date(NOW + 1) });

    expect(planWith([waiting], [exited])).toEqual([]);
  });

  it("gives up after maxRestarts with the crash-loop message", () => {
    const actions = planWith([row("a", 0, { restartCount: 2 })], [exited]);

    expect(actions).toEqual([
      {
        kind: "giveUp",
        replicaId: "a",
        message:
          "crash loop: exited 3 times; last exit code 3. Fix the app and deploy a new revision.",
      },
    ]);
  });

  it("never restarts a replica that gave up or failed without a container", () => {
    const gaveUp = row("a", 0, { state: "failed", restartCount: 2, restartAt: null });
    const noImage = row("b", 1, { state: "failed", restartAt: null });
    const apps: TDesiredApp[] = [{ appId: APP, revisionId: REV1, replicas: 2, restart }];
    const actions = planReconcile({
      apps,
      rows: [gaveUp, noImage],
      observed: [exited],
      listedNodeIds: NODES,
      now: NOW + 60_000,
    });

    expect(actions).toEqual([]);
  });
});

describe("planReconcile: rolling updates", () => {
  const oldRows = [0, 1, 2, 3].map((slot) => row(`o${slot}`, slot));
  const oldContainers = oldRows.map((r) => container(r.id));

  function rolling(
    rows: TReplicaRow[],
    observed: TObservedContainer[],
    extra: Partial<TDesiredApp> = {},
    replicas = 4,
  ): TAction[] {
    const apps: TDesiredApp[] = [{ appId: APP, revisionId: REV2, replicas, ...extra }];

    return planReconcile({ apps, rows, observed, listedNodeIds: NODES, now: NOW });
  }

  it("adds maxSurge new replicas at once", () => {
    const actions = rolling(oldRows, oldContainers, {
      update: { maxSurge: 2, maxUnavailable: 0 },
    });

    expect(actions).toEqual([
      { kind: "createRow", appId: APP, revisionId: REV2, slot: 0 },
      { kind: "createRow", appId: APP, revisionId: REV2, slot: 1 },
    ]);
  });

  it("removes old replicas first when only maxUnavailable allows a step", () => {
    const actions = rolling(oldRows, oldContainers, {
      update: { maxSurge: 0, maxUnavailable: 1 },
    });

    expect(kinds(actions)).toEqual(["removeReplica", "createRow"]);
    expect(actions[0]).toMatchObject({ replicaId: "o0" });
    expect(actions[1]).toMatchObject({ slot: 0 });
  });

  it("counts two old replicas of one slot as one served slot against maxUnavailable", () => {
    // Slots 1, 3 and 4 are empty: with maxUnavailable 3 none of the served slots may go.
    const rows = [row("a", 0), row("b", 0), row("c", 2)];
    const actions = rolling(
      rows,
      rows.map((r) => container(r.id)),
      {
        update: { maxSurge: 0, maxUnavailable: 3 },
      },
      5,
    );

    expect(kinds(actions)).not.toContain("removeReplica");
    expect(actions.map((action) => (action.kind === "createRow" ? action.slot : -1))).toEqual([
      1, 3, 4,
    ]);
  });

  it("keeps the old replica while the new one runs but has not passed its health check", () => {
    const fresh = row("n0", 0, { revisionId: REV2, health: "starting" });
    const actions = rolling([...oldRows, fresh], [...oldContainers, container("n0")], {
      hasHealthCheck: true,
    });

    expect(actions).toEqual([]);
  });

  it("replaces the old replica once the new one is healthy", () => {
    const fresh = row("n0", 0, { revisionId: REV2, health: "healthy" });
    const actions = rolling([...oldRows, fresh], [...oldContainers, container("n0")], {
      hasHealthCheck: true,
    });

    expect(kinds(actions)).toEqual(["removeReplica", "createRow"]);
  });

  it("fails the rollout when a new replica turns unhealthy, naming the check's output", () => {
    const fresh = row("n0", 0, {
      revisionId: REV2,
      health: "unhealthy",
      healthMessage: "HTTP 500 from /health",
    });
    const actions = rolling([...oldRows, fresh], [...oldContainers, container("n0")], {
      rollout: { id: "ro-1", state: "progressing" },
    });

    expect(actions).toContainEqual({
      kind: "failRollout",
      appId: APP,
      rolloutId: "ro-1",
      message: "replica 0 of the new revision failed its health check: HTTP 500 from /health",
    });
    expect(kinds(actions)).not.toContain("recycle");
  });

  it("fails the rollout when a new replica fails, with its error", () => {
    const fresh = row("n0", 0, { revisionId: REV2, state: "failed", lastError: "IMAGE_NOT_FOUND" });
    const actions = rolling([...oldRows, fresh], oldContainers, {
      rollout: { id: "ro-1", state: "progressing" },
    });

    const failure = actions.find((action) => action.kind === "failRollout");

    expect(failure).toMatchObject({ kind: "failRollout", rolloutId: "ro-1" });
    expect(failure && "message" in failure ? failure.message : "").toMatch(/IMAGE_NOT_FOUND/);
  });

  it("holds a failed rollout: no new step while old replicas serve", () => {
    const actions = rolling(oldRows, oldContainers, { rollout: { id: "ro-1", state: "failed" } });

    expect(actions).toEqual([]);
  });

  it("completes the rollout when every slot has a ready new replica and nothing else", () => {
    const rows = [0, 1].map((slot) => row(`n${slot}`, slot, { revisionId: REV2 }));
    const actions = rolling(
      rows,
      rows.map((r) => container(r.id)),
      {
        rollout: { id: "ro-1", state: "progressing" },
      },
      2,
    );

    expect(actions).toEqual([{ kind: "completeRollout", appId: APP, rolloutId: "ro-1" }]);
  });

  it("restarts an unhealthy replica outside a rollout by stopping its container", () => {
    const rows = [row("a", 0, { revisionId: REV2, health: "unhealthy", healthMessage: "refused" })];
    const actions = rolling(rows, [container("a")], {}, 1);

    expect(actions).toEqual([
      {
        kind: "recycle",
        replicaId: "a",
        container: { nodeId: "n1", containerId: "c-a" },
        message: "health check failed: refused",
      },
    ]);
  });

  it("forgets the crash count of a replica that has run long enough", () => {
    const startedAt = new Date(NOW - 11 * 60 * 1000);
    const rows = [row("a", 0, { revisionId: REV2, restartCount: 3, startedAt })];

    expect(rolling(rows, [container("a")], {}, 1)).toEqual([
      { kind: "resetRestarts", replicaId: "a" },
    ]);
  });
});

describe("planReconcile: draining, lost nodes, moves and deletes", () => {
  function run(
    rows: TReplicaRow[],
    observed: TObservedContainer[],
    extra: Partial<TReconcileInput> = {},
    app: Partial<TDesiredApp> = {},
  ): TAction[] {
    const apps: TDesiredApp[] = [{ appId: APP, revisionId: REV1, replicas: rows.length, ...app }];

    return planReconcile({ apps, rows, observed, listedNodeIds: NODES, now: NOW, ...extra });
  }

  it("replaces a replica on a draining node with a successor first", () => {
    const rows = [row("a", 0, { nodeId: "n2" })];
    const observed = [container("a", { nodeId: "n2" })];

    expect(run(rows, observed, { drainingNodeIds: new Set(["n2"]) })).toEqual([
      { kind: "createRow", appId: APP, revisionId: REV1, slot: 0 },
    ]);
  });

  it("removes the drained replica once its successor is ready", () => {
    const rows = [row("a", 0, { nodeId: "n2" }), row("b", 0, { nodeId: "n3" })];
    const observed = [container("a", { nodeId: "n2" }), container("b", { nodeId: "n3" })];
    const actions = run(rows, observed, { drainingNodeIds: new Set(["n2"]) }, { replicas: 1 });

    expect(actions).toEqual([
      {
        kind: "removeReplica",
        replicaId: "a",
        containers: [{ nodeId: "n2", containerId: "c-a" }],
        reason: "its node is draining; its successor is ready",
      },
    ]);
  });

  it("gives up replicas on a lost node at once and makes new ones", () => {
    const rows = [row("a", 0, { nodeId: "n4" }), row("b", 1)];
    const actions = run(rows, [container("b")], { lostNodeIds: new Set(["n4"]) });

    expect(actions).toEqual([
      { kind: "removeReplica", replicaId: "a", containers: [], reason: "its node is unreachable" },
      { kind: "createRow", appId: APP, revisionId: REV1, slot: 0 },
    ]);
  });

  it("leaves replicas on a node that is only unlisted this pass", () => {
    const rows = [row("a", 0, { nodeId: "n4" })];

    expect(run(rows, [])).toEqual([]);
  });

  it("pins a re-pack move's successor to its node and places it on its own", () => {
    const rows = [row("a", 0, { moveToNodeId: "n3" }), row("b", 1)];
    const created = run(rows, [container("a"), container("b")]);

    expect(created).toEqual([
      { kind: "createRow", appId: APP, revisionId: REV1, slot: 0, pinnedNodeId: "n3" },
    ]);
    const pending = row("s", 0, { nodeId: null, state: "pending", pinnedNodeId: "n3" });
    const placed = run([...rows, pending], [container("a"), container("b")], {}, { replicas: 2 });

    expect(placed).toEqual([{ kind: "place", appId: APP, revisionId: REV1, replicaIds: ["s"] }]);
  });

  it("removes every replica of an app being deleted, then the app", () => {
    const rows = [row("a", 0)];

    expect(kinds(run(rows, [container("a")], {}, { isDeleting: true }))).toEqual(["removeReplica"]);
    expect(run([], [], {}, { isDeleting: true, replicas: 1 })).toEqual([
      { kind: "removeApp", appId: APP },
    ]);
  });
});

describe("planReconcile: rolling update budget (property)", () => {
  const ZRow = fc.record({
    isNew: fc.boolean(),
    state: fc.constantFrom("pending", "starting", "running", "failed"),
    health: fc.constantFrom("none", "starting", "healthy", "unhealthy"),
  });

  it("never grows past replicas + maxSurge, nor drops below the ready replicas allowed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.array(ZRow, { maxLength: 2 }), { minLength: 8, maxLength: 8 }),
        (replicas, maxSurge, maxUnavailable, slotRows) => {
          fc.pre(maxSurge + maxUnavailable > 0);
          const rows: TReplicaRow[] = slotRows.slice(0, replicas).flatMap((entries, slot) =>
            entries.map((entry, index) =>
              row(`r${slot}-${index}`, slot, {
                revisionId: entry.isNew ? REV2 : REV1,
                state: entry.state as TReplicaRow["state"],
                health: entry.health as TReplicaRow["health"],
              }),
            ),
          );
          const observed = rows.map((r) => container(r.id));
          const apps: TDesiredApp[] = [
            { appId: APP, revisionId: REV2, replicas, update: { maxSurge, maxUnavailable } },
          ];
          const actions = planReconcile({ apps, rows, observed, listedNodeIds: NODES, now: NOW });
          const removed = new Set(
            actions.flatMap((a) => (a.kind === "removeReplica" ? [a.replicaId] : [])),
          );
          const created = actions.filter((a) => a.kind === "createRow").length;
          const after = rows.filter((r) => !removed.has(r.id));
          // Slots served by a ready replica: an old one may go once its successor serves.
          const ready = (list: TReplicaRow[]) =>
            new Set(
              list
                .filter(
                  (r) => r.state === "running" && ["none", "healthy"].includes(r.health ?? ""),
                )
                .map((r) => r.slot),
            ).size;
          const readyBefore = ready(rows);
          // Each slot holds at least the replica it needs: missing ones are never held back.
          const occupancy = slotRows
            .slice(0, replicas)
            .reduce((sum, entries) => sum + Math.max(entries.length, 1), 0);

          expect(after.length + created).toBeLessThanOrEqual(
            Math.max(replicas + maxSurge, occupancy),
          );
          expect(ready(after)).toBeGreaterThanOrEqual(
            Math.min(readyBefore, replicas - maxUnavailable),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
