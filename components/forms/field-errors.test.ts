import { describe, expect, it } from "vitest";
import { z } from "zod";

import { fieldErrorsFromZod, mergeFieldErrors, unplacedErrors } from "./field-errors";

describe("fieldErrorsFromZod", () => {
  it("keys errors by dotted path and unwraps bad record keys", () => {
    const schema = z.object({
      name: z.string().min(1, "is required"),
      labels: z.record(z.string().regex(/^[a-z]+$/, "keys are lowercase"), z.string().max(2)),
    });
    const result = schema.safeParse({ name: "", labels: { Zone: "a", rack: "long" } });
    expect(result.success).toBe(false);
    if (result.success) {
      return;
    }
    const errors = fieldErrorsFromZod(result.error);
    expect(errors.name).toEqual(["is required"]);
    expect(errors["labels.Zone"]).toEqual(["keys are lowercase"]);
    expect(errors["labels.rack"]).toHaveLength(1);
  });
});

describe("mergeFieldErrors", () => {
  it("lets later sources win per field", () => {
    expect(mergeFieldErrors({ a: ["x"], b: ["y"] }, { b: ["z"] })).toEqual({ a: ["x"], b: ["z"] });
  });
});

describe("unplacedErrors", () => {
  it("lists only errors no field shows", () => {
    const placed = new Set(["name"]);
    expect(unplacedErrors({ name: ["bad"], input: ["odd"] }, (key) => placed.has(key))).toEqual([
      "input: odd",
    ]);
  });
});
