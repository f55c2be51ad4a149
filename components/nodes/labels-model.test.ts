import { describe, expect, it } from "vitest";

import { labelsFromRows, rowErrorsFromFieldErrors, rowsFromLabels } from "./labels-model";

const row = (rowId: string, key: string, value: string) => ({ rowId, key, value });

describe("rowsFromLabels", () => {
  it("makes one row per label, sorted by key", () => {
    expect(rowsFromLabels({ zone: "a", disk: "ssd" })).toEqual([
      row("label-0", "disk", "ssd"),
      row("label-1", "zone", "a"),
    ]);
  });
});

describe("labelsFromRows", () => {
  it("builds labels, trimming keys and skipping blank rows", () => {
    const result = labelsFromRows([
      row("a", " zone ", "eu-1"),
      row("b", "", ""),
      row("c", "gpu", ""),
    ]);
    expect(result.labels).toEqual({ zone: "eu-1", gpu: "" });
    expect(result.rowErrors).toEqual({});
  });

  it("refuses a value without a key and a duplicate key", () => {
    const result = labelsFromRows([
      row("a", "zone", "1"),
      row("b", "zone", "2"),
      row("c", "", "x"),
    ]);
    expect(result.labels).toEqual({ zone: "1" });
    expect(Object.keys(result.rowErrors)).toEqual(["b", "c"]);
  });
});

describe("rowErrorsFromFieldErrors", () => {
  it("puts labels.<key> errors on the matching row", () => {
    const rows = [row("a", "zone", "1"), row("b", "Bad", "2")];
    const errors = { "labels.Bad": ["label keys use lowercase letters"], name: ["x"] };
    expect(rowErrorsFromFieldErrors(rows, errors)).toEqual({
      b: ["label keys use lowercase letters"],
    });
  });
});
