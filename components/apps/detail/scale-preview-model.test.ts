import { describe, expect, it } from "vitest";

import type { TDryRunView } from "@/components/trpc/client";

import { scalePreviewOf } from "./scale-preview-model";

const kept = (slot: number, nodeName: string) => ({
  slot,
  replicaId: `r${slot}`,
  nodeId: `id-${nodeName}`,
  nodeName,
  state: "running",
});

function plan(overrides: Partial<TDryRunView>): TDryRunView {
  return {
    appName: "web",
    replicas: 0,
    nodesConsidered: 3,
    placements: [],
    unplaced: [],
    kept: [],
    removed: [],
    ...overrides,
  };
}

describe("scalePreviewOf", () => {
  it("keeps running replicas by node and lists new slots with where they go or why not", () => {
    const preview = scalePreviewOf(
      plan({
        replicas: 5,
        kept: [kept(0, "lab-1"), kept(1, "lab-2"), kept(2, "lab-1")],
        placements: [
          {
            replicaIndex: 0,
            slot: 3,
            nodeId: "id-lab-3",
            nodeName: "lab-3",
            score: 80,
            message: "placed on lab-3",
          },
        ],
        unplaced: [
          { replicaIndex: 1, slot: 4, reasonCounts: {}, message: "0 of 3 nodes fit: 3 lack 1 CPU" },
        ],
      }),
      3,
    );

    expect(preview.summary).toBe(
      "3 → 5: keeps 3 replicas in place, starts 1 new, 1 would not fit now.",
    );
    expect(preview.keptByNode).toEqual([
      { nodeName: "lab-1", count: 2 },
      { nodeName: "lab-2", count: 1 },
    ]);
    expect(preview.changes).toEqual([
      { kind: "added", slot: 3, nodeName: "lab-3" },
      { kind: "unplaced", slot: 4, message: "0 of 3 nodes fit: 3 lack 1 CPU" },
    ]);
    expect(preview.unplacedCount).toBe(1);
  });

  it("says which slots a scale down removes, and from where", () => {
    const preview = scalePreviewOf(
      plan({
        replicas: 1,
        kept: [kept(0, "lab-1")],
        removed: [kept(2, "lab-3"), kept(1, "lab-2")],
      }),
      3,
    );

    expect(preview.summary).toBe("3 → 1: keeps 1 replica in place, removes 2 replicas.");
    expect(preview.changes).toEqual([
      { kind: "removed", slot: 1, nodeName: "lab-2" },
      { kind: "removed", slot: 2, nodeName: "lab-3" },
    ]);
  });

  it("caps the list and counts the rest", () => {
    const removed = Array.from({ length: 20 }, (_, slot) => kept(slot, "lab-1"));
    const preview = scalePreviewOf(plan({ replicas: 0, removed }), 20, 12);

    expect(preview.summary).toBe("20 → 0: removes 20 replicas.");
    expect(preview.changes).toHaveLength(12);
    expect(preview.moreChanges).toBe(8);
  });

  it("counts a slot mid-update once among the kept", () => {
    const preview = scalePreviewOf(
      plan({ replicas: 1, kept: [kept(0, "lab-1"), kept(0, "lab-2")] }),
      1,
    );

    expect(preview.summary).toBe("1 → 1: keeps 1 replica in place.");
  });
});
