import { describe, expect, it } from "vitest";

import { filterContainers, sortContainers } from "./container-filter";

const containers = [
  { name: "web-1", image: "berth-lab/web:1", state: "exited" },
  { name: "db", image: "postgres:15", state: "running" },
  { name: "burner", image: "berth-lab/cpu", state: "running" },
];

describe("filterContainers", () => {
  it("matches names and images, case-insensitively, every word", () => {
    expect(filterContainers(containers, "LAB").map((item) => item.name)).toEqual([
      "web-1",
      "burner",
    ]);
    expect(filterContainers(containers, "lab web").map((item) => item.name)).toEqual(["web-1"]);
    expect(filterContainers(containers, "postgres")).toHaveLength(1);
  });

  it("returns everything for an empty query and nothing for a miss", () => {
    expect(filterContainers(containers, "  ")).toHaveLength(3);
    expect(filterContainers(containers, "redis")).toEqual([]);
  });
});

describe("sortContainers", () => {
  it("puts running containers first, then sorts by name", () => {
    expect(sortContainers(containers).map((item) => item.name)).toEqual(["burner", "db", "web-1"]);
  });
});
