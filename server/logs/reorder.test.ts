import { describe, expect, it } from "vitest";

import { ReorderWindow } from "./reorder";
import type { TLogLine } from "./schema";

function line(key: string, atMs: number): TLogLine {
  return {
    key,
    at: new Date(atMs),
    appId: "a",
    replicaId: "r",
    slot: 0,
    nodeName: "n",
    stream: "stdout",
    line: key,
  };
}

describe("ReorderWindow", () => {
  it("holds lines for the window, then gives them out in time order", () => {
    const window = new ReorderWindow(100);
    window.push([line("b", 20)], 1000);
    window.push([line("a", 10)], 1050);

    expect(window.take(1099)).toEqual([]);
    expect(window.nextDueAt()).toBe(1100);
    // a is not due yet but is older than b, so it goes first with it.
    expect(window.take(1100).map((l) => l.key)).toEqual(["a", "b"]);
    expect(window.nextDueAt()).toBeUndefined();
  });

  it("keeps newer lines that are not due", () => {
    const window = new ReorderWindow(100);
    window.push([line("a", 10)], 0);
    window.push([line("c", 30)], 60);

    expect(window.take(100).map((l) => l.key)).toEqual(["a"]);
    expect(window.take(160).map((l) => l.key)).toEqual(["c"]);
  });

  it("gives lines out at once with a zero window, ties broken by key", () => {
    const window = new ReorderWindow(0);
    window.push([line("y", 5), line("x", 5)], 0);

    expect(window.take(0).map((l) => l.key)).toEqual(["x", "y"]);
  });
});
