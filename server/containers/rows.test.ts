import { describe, expect, it } from "vitest";

import type { TContainerSummary } from "@/server/docker/engine";
import { LABEL_APP, LABEL_REPLICA, LABEL_REVISION } from "@/server/docker/labels";
import { BerthError } from "@/server/errors";

import {
  capRows,
  filterRows,
  labelledAppIds,
  USAGE_NOTES,
  listFailureMessage,
  sampledContainerIds,
  skippedMessage,
  sortRows,
  toContainerRow,
  withUsage,
} from "./rows";
import { formatPublishedPort, publishedPortsOf } from "./ports";

const APP_ID = "6f1c2a3b-0000-4000-8000-000000000001";
const N1 = { id: "node-1", name: "n1" };
const N2 = { id: "node-2", name: "n2" };

function summary(overrides: Partial<TContainerSummary>): TContainerSummary {
  return {
    id: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
    name: "web",
    image: "berth-demo/web:1",
    state: "running",
    status: "Up 2 minutes",
    createdAt: new Date("2026-01-02T03:04:05Z"),
    ports: [],
    labels: {},
    ...overrides,
  };
}

const APPS = new Map([[APP_ID, { id: APP_ID, name: "shop" }]]);

const ROWS = [
  toContainerRow(N1, summary({ id: "aaaa1111", name: "web-1", state: "exited" }), APPS),
  toContainerRow(N2, summary({ id: "bbbb2222", name: "db", image: "postgres:17" }), APPS),
  toContainerRow(
    N2,
    summary({
      id: "cccc3333",
      name: "shop-0",
      image: "berth-demo/shop:2",
      labels: { [LABEL_APP]: APP_ID, [LABEL_REPLICA]: "r-1", [LABEL_REVISION]: "v-1" },
    }),
    APPS,
  ),
  toContainerRow(N1, summary({ id: "dddd4444", name: "db", image: "postgres:17" }), APPS),
];

function names(rows: readonly { name: string; nodeName: string }[]) {
  return rows.map((row) => `${row.nodeName}/${row.name}`);
}

describe("publishedPortsOf", () => {
  it("keeps published ports once each, IPv4 over IPv6, and drops unpublished ones", () => {
    const ports = publishedPortsOf([
      { privatePort: 8080, publicPort: 18080, ip: "::", type: "tcp" },
      { privatePort: 8080, publicPort: 18080, ip: "0.0.0.0", type: "tcp" },
      { privatePort: 53, publicPort: 5353, ip: "127.0.0.2", type: "udp" },
      { privatePort: 9000, type: "tcp" },
    ]);

    expect(ports).toEqual([
      { hostIp: "0.0.0.0", hostPort: 18080, containerPort: 8080, protocol: "tcp" },
      { hostIp: "127.0.0.2", hostPort: 5353, containerPort: 53, protocol: "udp" },
    ]);
  });
});

describe("formatPublishedPort", () => {
  it("writes host, host port, container port and protocol", () => {
    const port = { hostIp: "127.0.0.2", hostPort: 18080, containerPort: 8080, protocol: "tcp" };

    expect(formatPublishedPort(port)).toBe("127.0.0.2:18080→8080/tcp");
    expect(formatPublishedPort({ ...port, hostIp: "::1" })).toBe("[::1]:18080→8080/tcp");
    expect(formatPublishedPort({ ...port, hostIp: "" })).toBe("18080→8080/tcp");
  });
});

describe("toContainerRow", () => {
  it("links a Berth-labelled container to its app and replica", () => {
    expect(ROWS[2]).toMatchObject({
      nodeId: "node-2",
      nodeName: "n2",
      shortId: "cccc3333",
      isBerth: true,
      app: { id: APP_ID, name: "shop" },
      replicaId: "r-1",
      revisionId: "v-1",
    });
  });

  it("leaves others' containers and unknown apps unlinked", () => {
    const unknown = toContainerRow(N1, summary({ labels: { [LABEL_APP]: "elsewhere" } }), APPS);

    expect(ROWS[0]).toMatchObject({ isBerth: false, app: null, replicaId: null });
    expect(unknown.app).toBeNull();
    expect(toContainerRow(N1, summary({}), APPS).shortId).toHaveLength(12);
  });

  it("collects each labelled app id once", () => {
    const labels = { [LABEL_APP]: APP_ID };

    expect(labelledAppIds([summary({ labels }), summary({ labels }), summary({})])).toEqual([
      APP_ID,
    ]);
  });
});

describe("filterRows", () => {
  it("matches name, image, node, app and state, case-insensitively", () => {
    expect(names(filterRows(ROWS, "WEB", "all"))).toEqual(["n1/web-1"]);
    expect(names(filterRows(ROWS, "postgres", "all"))).toEqual(["n2/db", "n1/db"]);
    expect(names(filterRows(ROWS, "n2", "all"))).toEqual(["n2/db", "n2/shop-0"]);
    expect(names(filterRows(ROWS, "Shop", "all"))).toEqual(["n2/shop-0"]);
    expect(names(filterRows(ROWS, "exited", "all"))).toEqual(["n1/web-1"]);
  });

  it("matches ids by prefix only", () => {
    expect(names(filterRows(ROWS, "BBBB", "all"))).toEqual(["n2/db"]);
    expect(filterRows(ROWS, "2222", "all")).toEqual([]);
  });

  it("needs every word to match, and applies the state filter", () => {
    expect(names(filterRows(ROWS, "db n1", "all"))).toEqual(["n1/db"]);
    expect(names(filterRows(ROWS, "  ", "exited"))).toEqual(["n1/web-1"]);
    expect(filterRows(ROWS, "web", "running")).toEqual([]);
    expect(filterRows(ROWS, "", "all")).toHaveLength(4);
  });
});

describe("sortRows and capRows", () => {
  it("puts running first, then orders by name and node", () => {
    expect(names(sortRows(ROWS))).toEqual(["n1/db", "n2/db", "n2/shop-0", "n1/web-1"]);
  });

  it("caps and says when it did", () => {
    expect(capRows([1, 2, 3], 2)).toEqual({ rows: [1, 2], isTruncated: true });
    expect(capRows([1, 2], 2)).toEqual({ rows: [1, 2], isTruncated: false });
  });
});

describe("messages", () => {
  it("names the node and keeps an engine error's advice", () => {
    const refused = new BerthError(
      "NODE_UNREACHABLE",
      "Nothing accepts connections at tcp://127.0.0.9:1. Check that dockerd runs.",
    );

    expect(listFailureMessage("n2", refused)).toBe(
      "node n2: could not list containers: Nothing accepts connections at tcp://127.0.0.9:1. " +
        "Check that dockerd runs.",
    );
    expect(listFailureMessage("n2", new Error("socket hang up."))).toBe(
      "node n2: could not list containers: socket hang up; check that the engine is up",
    );
  });

  it("says why an unreachable node was skipped", () => {
    expect(skippedMessage("n3", "no answer.")).toBe(
      "node n3: not listed, it stopped answering heartbeats: no answer; " +
        "its containers show again once it answers",
    );
    expect(skippedMessage("n3", null)).toMatch(/^node n3: not listed, it stopped answering/);
  });
});

describe("withUsage", () => {
  const foreignReplica = toContainerRow(
    N1,
    summary({
      id: "eeee5555",
      name: "elsewhere-0",
      labels: { [LABEL_APP]: "7a000000-0000-4000-8000-000000000009", [LABEL_REPLICA]: "r-9" },
    }),
    APPS,
  );
  const rows = [...ROWS, foreignReplica];
  const at = new Date("2026-01-02T03:04:10Z");
  const point = { at, cpuPercent: 12.5, memoryBytes: 4096, memoryPercent: 25 };

  it("asks for the running replicas of this installation only", () => {
    expect(sampledContainerIds(rows)).toEqual(["cccc3333"]);
  });

  it("shows a replica's newest point and says why the others have none", () => {
    const shown = withUsage(rows, new Map([["cccc3333", { ...point, memoryLimitBytes: 1 }]]));
    const byId = new Map(shown.map((row) => [row.id, row]));

    expect(byId.get("cccc3333")).toMatchObject({ usage: point, usageNote: null });
    expect(byId.get("aaaa1111")).toMatchObject({ usage: null, usageNote: USAGE_NOTES.notRunning });
    expect(byId.get("bbbb2222")).toMatchObject({ usage: null, usageNote: USAGE_NOTES.notSampled });
    expect(byId.get("eeee5555")?.usageNote).toBe(USAGE_NOTES.otherInstallation);
  });

  it("says a replica has no sample yet rather than showing zero", () => {
    const [replica] = withUsage(
      ROWS.filter((row) => row.id === "cccc3333"),
      new Map(),
    );

    expect(replica).toMatchObject({ usage: null, usageNote: USAGE_NOTES.noSample });
  });
});
