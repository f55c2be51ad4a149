import { describe, expect, it } from "vitest";

import { MAX_CONTAINER_QUERY_LENGTH } from "@/server/containers/schema";

import { filterFromParams, freshnessOf, paramsFromFilter } from "./container-filters";

describe("container filters in the URL", () => {
  it("reads the query and state, dropping unknown states", () => {
    expect(filterFromParams(new URLSearchParams("q=web+1&state=running"))).toEqual({
      query: "web 1",
      state: "running",
    });
    expect(filterFromParams(new URLSearchParams("state=bogus"))).toEqual({
      query: "",
      state: "all",
    });
  });

  it("cuts an overlong query instead of sending it", () => {
    const long = "x".repeat(MAX_CONTAINER_QUERY_LENGTH + 50);

    expect(filterFromParams(new URLSearchParams({ q: long })).query).toHaveLength(
      MAX_CONTAINER_QUERY_LENGTH,
    );
  });

  it("writes only what differs from the defaults, and round-trips", () => {
    expect(paramsFromFilter({ query: "  ", state: "all" })).toBe("");
    expect(paramsFromFilter({ query: "db n2", state: "exited" })).toBe("?q=db+n2&state=exited");
    const filter = { query: "shop & co", state: "running" as const };
    const params = new URLSearchParams(paramsFromFilter(filter).slice(1));

    expect(filterFromParams(params)).toEqual(filter);
  });
});

describe("freshnessOf", () => {
  it("is live while answers keep coming, stale after missed refreshes, failed on an error", () => {
    expect(freshnessOf(10_000, 14_000, 5_000, false)).toBe("live");
    expect(freshnessOf(10_000, 26_000, 5_000, false)).toBe("stale");
    expect(freshnessOf(10_000, 11_000, 5_000, true)).toBe("failed");
  });
});
