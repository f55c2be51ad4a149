import { describe, expect, it } from "vitest";

import {
  IDLE_REFRESH_MS,
  RUNNING_REFRESH_MS,
  type TMoveState,
  type TRepackMove,
  type TRepackPlan,
  currentMoveIndex,
  formatComputeMs,
  moveStateLabel,
  planSummary,
  progressCounts,
  progressLine,
  repackRefreshMs,
  repackStateLabel,
} from "./repack-model";

function move(state: TMoveState, slot = 0): TRepackMove {
  return {
    replicaId: `r${slot}`,
    appId: "a",
    appName: "web",
    slot,
    from: "n2",
    fromName: "lab-2",
    to: "n1",
    toName: "lab-1",
    state,
    message: null,
    startedAt: null,
  };
}

function plan(overrides: Partial<TRepackPlan>): TRepackPlan {
  return {
    moves: [move("pending", 1), move("pending", 2)],
    nodesUsedBefore: 3,
    nodesUsed: 1,
    nodesFreed: ["lab-2", "lab-3"],
    lowerBound: 1,
    pinnedReplicas: 0,
    computeMs: 0.4,
    ...overrides,
  };
}

describe("planSummary", () => {
  it("says nodes before and after, moves, the nodes freed and the lower bound", () => {
    expect(planSummary(plan({}))).toBe(
      "3 nodes in use → 1 after 2 moves; frees lab-2, lab-3; lower bound 1",
    );
  });

  it("uses the singular for one node and one move", () => {
    const one = plan({ moves: [move("pending")], nodesUsedBefore: 2, nodesFreed: ["lab-2"] });

    expect(planSummary(one)).toBe("2 nodes in use → 1 after 1 move; frees lab-2; lower bound 1");
  });

  it("says nothing moves when the plan has no moves", () => {
    const packed = plan({ moves: [], nodesUsedBefore: 1, nodesFreed: [] });

    expect(planSummary(packed)).toBe("1 node in use; nothing to move; lower bound 1");
  });

  it("says no node is freed when moves only even nodes out", () => {
    const even = plan({ nodesUsed: 3, nodesFreed: [] });

    expect(planSummary(even)).toContain("frees no node;");
  });
});

describe("state labels", () => {
  it("gives every move state a label and a tone", () => {
    expect(moveStateLabel("pending")).toEqual({ label: "waiting", tone: "neutral" });
    expect(moveStateLabel("moving")).toEqual({ label: "moving", tone: "info" });
    expect(moveStateLabel("done")).toEqual({ label: "done", tone: "ok" });
    expect(moveStateLabel("skipped")).toEqual({ label: "skipped", tone: "warn" });
    expect(moveStateLabel("failed")).toEqual({ label: "failed", tone: "danger" });
  });

  it("gives every re-pack state a label and a tone", () => {
    expect(repackStateLabel("running").tone).toBe("info");
    expect(repackStateLabel("succeeded").tone).toBe("ok");
    expect(repackStateLabel("failed").tone).toBe("danger");
    expect(repackStateLabel("cancelled")).toEqual({ label: "cancelled", tone: "warn" });
  });
});

describe("progressCounts and progressLine", () => {
  it("counts done, skipped and failed moves as settled", () => {
    const moves = [move("done"), move("skipped"), move("moving"), move("pending")];
    const progress = progressCounts(moves);

    expect(progress).toEqual({
      done: 1,
      skipped: 1,
      failed: 0,
      settled: 2,
      total: 4,
      percent: 50,
    });
    expect(progressLine(progress)).toBe("1 of 4 moves done, 1 skipped");
  });

  it("names failures and reads 100 % for a re-pack without moves", () => {
    expect(progressLine(progressCounts([move("done"), move("failed")]))).toBe(
      "1 of 2 moves done, 1 failed",
    );
    expect(progressCounts([]).percent).toBe(100);
    expect(progressLine(progressCounts([move("done")]))).toBe("1 of 1 move done");
  });
});

describe("currentMoveIndex", () => {
  it("points at the move in flight", () => {
    const moves = [move("done"), move("moving"), move("pending")];

    expect(currentMoveIndex({ state: "running", moves })).toBe(1);
  });

  it("points at the next waiting move between two passes", () => {
    const moves = [move("done"), move("skipped"), move("pending")];

    expect(currentMoveIndex({ state: "running", moves })).toBe(2);
  });

  it("points nowhere once the re-pack has ended", () => {
    const moves = [move("done"), move("skipped"), move("pending")];

    expect(currentMoveIndex({ state: "cancelled", moves })).toBe(-1);
    expect(currentMoveIndex({ state: "running", moves: [move("done")] })).toBe(-1);
  });
});

describe("repackRefreshMs and formatComputeMs", () => {
  it("polls closely only while a re-pack runs", () => {
    expect(repackRefreshMs({ state: "running" })).toBe(RUNNING_REFRESH_MS);
    expect(repackRefreshMs({ state: "succeeded" })).toBe(IDLE_REFRESH_MS);
    expect(repackRefreshMs(null)).toBe(IDLE_REFRESH_MS);
  });

  it("formats compute times in ms or s", () => {
    expect(formatComputeMs(0.44)).toBe("0.4 ms");
    expect(formatComputeMs(12.6)).toBe("13 ms");
    expect(formatComputeMs(1340)).toBe("1.3 s");
  });
});
