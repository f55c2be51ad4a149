import { describe, expect, it } from "vitest";

import { APP_STATUSES } from "@/server/apps/status";

import {
  APP_STATUS_WORDS,
  ROLLOUT_RECENT_MS,
  type TPlacementExplanation,
  type TRollout,
  candidateRows,
  formatAddress,
  formatScore,
  hostAddress,
  isRolloutShown,
  reasonLines,
  reservationOf,
  rolloutShares,
  scorerColumns,
  secondsUntil,
} from "./app-status";

const MIB = 1024 * 1024;
const NOW_MS = Date.parse("2026-01-01T12:00:00Z");

function rollout(overrides: Partial<TRollout>): TRollout {
  return {
    id: "r",
    state: "progressing",
    fromRevision: 3,
    toRevision: 4,
    message: null,
    isAutomatic: false,
    createdAt: new Date(NOW_MS - 60_000),
    finishedAt: null,
    progress: { desired: 4, updated: 2, ready: 1, old: 2 },
    ...overrides,
  };
}

const explanation: TPlacementExplanation = {
  nodesConsidered: 3,
  nodesFeasible: 2,
  reasonCounts: { "insufficient-memory": 1, "node-cordoned": 0 },
  candidates: [
    { nodeName: "lab-2", score: 87.25, scoresByScorer: { leastAllocated: 90, binpack: 0 } },
    { nodeName: "lab-1", score: 40, scoresByScorer: { leastAllocated: 40, binpack: 0 } },
  ],
  message: "2 of 3 nodes fit: 1 lacks 512 MiB of free memory",
};

describe("app status words", () => {
  it("has a label and tone for every status the server sends", () => {
    for (const status of APP_STATUSES) {
      expect(APP_STATUS_WORDS[status].label).not.toBe("");
    }
    expect(APP_STATUS_WORDS.updateFailed.label).toBe("Update failed");
    expect(APP_STATUS_WORDS.down.tone).toBe("danger");
  });
});

describe("formatAddress", () => {
  it("reads host side, then container port and protocol", () => {
    const port = { hostIp: "127.0.0.2", hostPort: 32768, containerPort: 8080, protocol: "tcp" };
    expect(formatAddress(port)).toBe("127.0.0.2:32768 → 8080/tcp");
    expect(hostAddress(port)).toBe("127.0.0.2:32768");
  });

  it("names an empty host address as every address", () => {
    const port = { hostIp: "", hostPort: 53, containerPort: 53, protocol: "udp" };
    expect(formatAddress(port)).toBe("0.0.0.0:53 → 53/udp");
  });
});

describe("reservationOf", () => {
  it("multiplies each replica's request by the desired count", () => {
    const reserved = reservationOf({
      cpuRequestMillis: 250,
      memoryRequestBytes: 256 * MIB,
      desiredReplicas: 3,
    });
    expect(reserved).toEqual({
      cpu: "0.75 CPU",
      memory: "768 MiB",
      each: "0.25 CPU, 256 MiB × 3",
    });
  });

  it("reserves nothing for a stopped app", () => {
    const reserved = reservationOf({
      cpuRequestMillis: 500,
      memoryRequestBytes: MIB,
      desiredReplicas: 0,
    });
    expect(reserved.cpu).toBe("0 CPU");
    expect(reserved.memory).toBe("0 B");
  });
});

describe("secondsUntil", () => {
  it("rounds up and never goes below zero", () => {
    expect(secondsUntil(new Date(NOW_MS + 1_200), NOW_MS)).toBe(2);
    expect(secondsUntil(new Date(NOW_MS - 5_000), NOW_MS)).toBe(0);
  });
});

describe("isRolloutShown", () => {
  it("shows progressing and failed rollouts", () => {
    expect(isRolloutShown(rollout({}), NOW_MS)).toBe(true);
    expect(isRolloutShown(rollout({ state: "failed" }), NOW_MS)).toBe(true);
  });

  it("shows a succeeded one only for a few minutes, and never a superseded one", () => {
    const recent = rollout({ state: "succeeded", finishedAt: new Date(NOW_MS - 1_000) });
    const old = rollout({
      state: "succeeded",
      finishedAt: new Date(NOW_MS - ROLLOUT_RECENT_MS - 1),
    });
    expect(isRolloutShown(recent, NOW_MS)).toBe(true);
    expect(isRolloutShown(old, NOW_MS)).toBe(false);
    expect(isRolloutShown(rollout({ state: "superseded" }), NOW_MS)).toBe(false);
    expect(isRolloutShown(null, NOW_MS)).toBe(false);
  });
});

describe("rolloutShares", () => {
  it("splits the bar into ready, not yet ready and old", () => {
    expect(rolloutShares({ desired: 4, updated: 2, ready: 1, old: 2 })).toEqual({
      ready: 25,
      starting: 25,
      old: 50,
    });
  });

  it("scales to the surge when more replicas exist than desired", () => {
    const shares = rolloutShares({ desired: 2, updated: 2, ready: 2, old: 2 });
    expect(shares).toEqual({ ready: 50, starting: 0, old: 50 });
  });

  it("survives an app scaled to 0", () => {
    expect(rolloutShares({ desired: 0, updated: 0, ready: 0, old: 0 })).toEqual({
      ready: 0,
      starting: 0,
      old: 0,
    });
  });
});

describe("placement explanation rows", () => {
  it("orders scorer columns as the scheduler does, with labels", () => {
    expect(scorerColumns(explanation)).toEqual([
      { key: "binpack", label: "Bin-pack" },
      { key: "leastAllocated", label: "Least allocated" },
    ]);
  });

  it("marks the first candidate as chosen only for a placed replica", () => {
    const rows = candidateRows(explanation, true);
    expect(rows[0]).toEqual({
      nodeName: "lab-2",
      score: 87.25,
      isChosen: true,
      scores: [
        { key: "binpack", score: 0 },
        { key: "leastAllocated", score: 90 },
      ],
    });
    expect(rows[1]?.isChosen).toBe(false);
    expect(candidateRows(explanation, false).some((row) => row.isChosen)).toBe(false);
  });

  it("formats scores to one decimal at most", () => {
    expect(formatScore(87.25)).toBe("87.3");
    expect(formatScore(100)).toBe("100");
  });

  it("says why nodes were rejected with the amounts asked for", () => {
    const request = { cpuRequestMillis: 500, memoryRequestBytes: 512 * MIB };
    const counts = { "insufficient-memory": 3, "node-cordoned": 1, "max-per-node": 0 };
    expect(reasonLines(counts, request)).toEqual([
      "3 lack 512 MiB of free memory",
      "1 is cordoned",
    ]);
    expect(reasonLines({ "insufficient-cpu": 1 }, request)).toEqual([
      "1 has less than 0.5 CPU free",
    ]);
    expect(reasonLines({ "something-new": 2 }, request)).toEqual(["2 rejected: something-new"]);
  });
});
