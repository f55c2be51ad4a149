import { describe, expect, it } from "vitest";

import { filterFromParams, paramsFromFilter } from "./event-filters";

describe("event filters in the URL", () => {
  it("round-trips known values", () => {
    const filter = { severity: "error" as const, kindPrefix: "node." };
    expect(filterFromParams(new URLSearchParams(paramsFromFilter(filter)))).toEqual(filter);
  });

  it("drops unknown values and writes nothing for no filter", () => {
    expect(filterFromParams(new URLSearchParams("severity=fatal&kind=app."))).toEqual({});
    expect(paramsFromFilter({})).toBe("");
  });
});
