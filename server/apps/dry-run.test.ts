import { describe, expect, it } from "vitest";

import { scaleSlots } from "./dry-run";

const row = (id: string, slot: number, nodeId: string | null, state = "running") => ({
  id,
  slot,
  nodeId,
  state,
});

describe("scaleSlots", () => {
  const rows = [row("r0", 0, "n1"), row("r2", 2, "n2"), row("r1", 1, "n3")];

  it("keeps every replica and places only the new slots when scaling up", () => {
    const slots = scaleSlots(rows, 5);

    expect(slots.kept.map((r) => r.id)).toEqual(["r0", "r1", "r2"]);
    expect(slots.removed).toEqual([]);
    expect(slots.toPlace).toEqual([3, 4]);
  });

  it("names the slots a smaller count removes, highest slots first to go", () => {
    const slots = scaleSlots(rows, 1);

    expect(slots.kept.map((r) => r.id)).toEqual(["r0"]);
    expect(slots.removed.map((r) => r.slot)).toEqual([1, 2]);
    expect(slots.toPlace).toEqual([]);
  });

  it("places a hole and a replica still waiting for a node, not a placed one", () => {
    const waiting = [row("r0", 0, "n1"), row("r2", 2, null, "unplaced")];
    const slots = scaleSlots(waiting, 3);

    expect(slots.kept.map((r) => r.id)).toEqual(["r0"]);
    expect(slots.toPlace).toEqual([1, 2]);
  });

  it("keeps both rows of a slot mid-update and places nothing for it", () => {
    const updating = [row("old", 0, "n1"), row("new", 0, "n2", "starting")];
    const slots = scaleSlots(updating, 1);

    expect(slots.kept.map((r) => r.id)).toEqual(["old", "new"]);
    expect(slots.toPlace).toEqual([]);
  });

  it("removes everything at 0", () => {
    const slots = scaleSlots(rows, 0);

    expect(slots.kept).toEqual([]);
    expect(slots.removed).toHaveLength(3);
    expect(slots.toPlace).toEqual([]);
  });
});
