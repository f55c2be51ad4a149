import { describe, expect, it } from "vitest";

import { mergeNodeChange } from "./merge-node-change";

type TNode = { id: string; name: string; status: string };

const node = (id: string, name: string, status = "ready"): TNode => ({ id, name, status });

const LIST: TNode[] = [node("1", "alpha"), node("2", "gamma"), node("3", "omega")];

describe("mergeNodeChange", () => {
  it("inserts a new node in name order", () => {
    const merged = mergeNodeChange(LIST, { type: "upsert", node: node("4", "delta") });
    expect(merged?.map((item) => item.name)).toEqual(["alpha", "delta", "gamma", "omega"]);
  });

  it("inserts at the start, at the end and into an empty list", () => {
    const first = mergeNodeChange(LIST, { type: "upsert", node: node("5", "aaa") });
    const last = mergeNodeChange(LIST, { type: "upsert", node: node("6", "zulu") });
    const only = mergeNodeChange([], { type: "upsert", node: node("7", "solo") });
    expect(first?.[0]?.name).toBe("aaa");
    expect(last?.at(-1)?.name).toBe("zulu");
    expect(only).toEqual([node("7", "solo")]);
  });

  it("replaces a known node in place without touching the input", () => {
    const before = structuredClone(LIST);
    const merged = mergeNodeChange(LIST, {
      type: "upsert",
      node: node("2", "gamma", "unreachable"),
    });
    expect(merged?.map((item) => item.status)).toEqual(["ready", "unreachable", "ready"]);
    expect(merged?.map((item) => item.id)).toEqual(["1", "2", "3"]);
    expect(LIST).toEqual(before);
    expect(merged).not.toBe(LIST);
  });

  it("re-sorts a node whose name changed", () => {
    const merged = mergeNodeChange(LIST, { type: "upsert", node: node("1", "zeta") });
    expect(merged?.map((item) => item.name)).toEqual(["gamma", "omega", "zeta"]);
  });

  it("removes a node and ignores unknown ids", () => {
    const removed = mergeNodeChange(LIST, { type: "remove", id: "2" });
    expect(removed?.map((item) => item.id)).toEqual(["1", "3"]);
    expect(mergeNodeChange(LIST, { type: "remove", id: "nope" })).toEqual(LIST);
  });

  it("never duplicates a node, whatever the order of pushes", () => {
    let list: TNode[] | undefined = [];
    for (const id of ["b", "a", "b", "c", "a"]) {
      list = mergeNodeChange(list, { type: "upsert", node: node(id, `node-${id}`) });
    }
    expect(list?.map((item) => item.id)).toEqual(["a", "b", "c"]);
  });

  it("leaves a list that is not loaded yet alone", () => {
    expect(mergeNodeChange(undefined, { type: "upsert", node: node("1", "alpha") })).toBe(
      undefined,
    );
  });
});
