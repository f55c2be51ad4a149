import { describe, expect, it } from "vitest";

import { planPlacement } from "@/server/scheduler";

import { toDryRunResult } from "./dry-run";
import {
  hostPortsOf,
  toSchedulerNode,
  toSchedulerSpec,
  toSnapshotReplica,
  usedHostPortsByNode,
} from "./snapshot";
import { GIB_BYTES, MIB_BYTES, type TAppSpec, ZAppSpec } from "./spec";

function spec(input: Record<string, unknown> = {}): TAppSpec {
  return ZAppSpec.parse({ name: "web", image: "berth-demo/web:1", ...input });
}

const NODE_ROW = {
  id: "n1",
  name: "lab-1",
  health: "ready" as const,
  availability: "active" as const,
  labels: { zone: "eu" },
  cpus: 4,
  memoryBytes: BigInt(8 * GIB_BYTES),
  advertiseAddress: "127.0.0.2",
  images: ["berth-demo/web:1"],
  foreignHostPorts: [],
};

describe("toSchedulerNode", () => {
  it("turns whole CPUs into millicores and a BigInt into bytes", () => {
    const node = toSchedulerNode(NODE_ROW);

    expect(node.cpuMillis).toBe(4000);
    expect(node.memoryBytes).toBe(8 * GIB_BYTES);
    expect(node.labels).toEqual({ zone: "eu" });
    expect(node.status).toBe("ready");
    expect(node.availability).toBe("active");
    expect(node.usedHostPorts).toEqual({ tcp: [], udp: [] });
  });

  it("keeps health and availability apart, and drops labels that are not strings", () => {
    const node = toSchedulerNode({
      ...NODE_ROW,
      health: "unreachable",
      availability: "draining",
      labels: { zone: 3 },
    });

    expect(node.status).toBe("unreachable");
    expect(node.availability).toBe("draining");
    expect(node.labels).toEqual({});
  });
});

describe("toSchedulerNode with the node's inventory", () => {
  it("matches the stored image references however a spec spells them", () => {
    const node = toSchedulerNode({ ...NODE_ROW, images: ["nginx:latest", "<none>:<none>"] });

    expect(node.images).toEqual(new Set(["docker.io/library/nginx:latest"]));
  });

  it("adds ports foreign containers hold on every address or the node's own", () => {
    const foreignHostPorts = [
      { protocol: "tcp", port: 9000, hostIp: "0.0.0.0", container: "grafana" },
      { protocol: "udp", port: 53, hostIp: "127.0.0.2", container: "dns" },
      // Bound on another of the host's addresses: no conflict where Berth publishes.
      { protocol: "tcp", port: 5432, hostIp: "127.0.0.9", container: "pg" },
    ];
    const node = toSchedulerNode({ ...NODE_ROW, foreignHostPorts }, { tcp: [8080], udp: [] });

    expect(node.usedHostPorts).toEqual({ tcp: [8080, 9000], udp: [53] });
  });

  it("reads a malformed stored inventory as holding no ports", () => {
    const node = toSchedulerNode({ ...NODE_ROW, foreignHostPorts: { port: "x" } });

    expect(node.usedHostPorts).toEqual({ tcp: [], udp: [] });
  });
});

describe("host ports", () => {
  it("lists only fixed host ports, with their protocol", () => {
    const ports = hostPortsOf(
      spec({
        ports: [
          { containerPort: 80, hostPort: 8080 },
          { containerPort: 53, protocol: "udp", hostPort: 53 },
          { containerPort: 9000 },
        ],
      }),
    );

    expect(ports).toEqual([
      { port: 8080, protocol: "tcp" },
      { port: 53, protocol: "udp" },
    ]);
  });

  it("gathers the ports taken on each node, sorted and without repeats", () => {
    const used = usedHostPortsByNode([
      { nodeId: "n1", hostPorts: [{ port: 9090, protocol: "tcp" }] },
      { nodeId: "n1", hostPorts: [{ port: 8080, protocol: "tcp" }] },
      { nodeId: "n1", hostPorts: [{ port: 8080, protocol: "tcp" }] },
      { nodeId: "n2", hostPorts: [{ port: 53, protocol: "udp" }] },
    ]);

    expect(used.get("n1")).toEqual({ tcp: [8080, 9090], udp: [] });
    expect(used.get("n2")).toEqual({ tcp: [], udp: [53] });
  });
});

describe("toSnapshotReplica and toSchedulerSpec", () => {
  const web = spec({
    resources: { cpuRequestMillis: 250, memoryRequestBytes: 256 * MIB_BYTES },
    ports: [{ containerPort: 80, hostPort: 8080 }],
    placement: {
      strategy: "binpack",
      constraints: [{ key: "zone", operator: "==", value: "eu" }],
      maxPerNode: 2,
      antiAffinity: ["db", "cache"],
      spreadBy: "zone",
    },
  });

  it("reserves what the replica's revision requests", () => {
    const replica = toSnapshotReplica({ id: "r1", appId: "a1", nodeId: "n1" }, web);

    expect(replica).toEqual({
      id: "r1",
      appId: "a1",
      nodeId: "n1",
      cpuMillis: 250,
      memoryBytes: 256 * MIB_BYTES,
      hostPorts: [{ port: 8080, protocol: "tcp" }],
    });
  });

  it("maps anti-affinity names to app ids and leaves out apps that do not exist", () => {
    const request = toSchedulerSpec("a1", web, new Map([["db", "a2"]]), true);

    expect(request.placement).toEqual({
      strategy: "binpack",
      constraints: [{ key: "zone", operator: "==", value: "eu" }],
      maxPerNode: 2,
      antiAffinity: ["a2"],
      spreadBy: "zone",
    });
    expect(request.cpuMillis).toBe(250);
    expect(request.canPull).toBe(true);
  });

  it("names the app and passes on whether nodes may pull", () => {
    const request = toSchedulerSpec("a1", web, new Map(), false);

    expect(request.appName).toBe("web");
    expect(request.canPull).toBe(false);
  });

  it("gives null for rules left out", () => {
    const request = toSchedulerSpec("a1", spec(), new Map(), true);

    expect(request.placement.maxPerNode).toBeNull();
    expect(request.placement.spreadBy).toBeNull();
    expect(request.placement.strategy).toBe("spread");
  });
});

describe("toDryRunResult", () => {
  const nodes = [1, 2, 3].map((k) =>
    toSchedulerNode({ ...NODE_ROW, id: `n${k}`, name: `lab-${k}` }),
  );
  const names = new Map(nodes.map((node) => [node.id, node.name]));

  it("names the nodes and keeps one message per replica", () => {
    const request = { ...toSchedulerSpec("a1", spec(), new Map(), true), replicas: 3 };
    const result = toDryRunResult("web", planPlacement({ nodes, replicas: [] }, request, 1), names);

    expect(result.placements.map((p) => p.nodeName).sort()).toEqual(["lab-1", "lab-2", "lab-3"]);
    expect(result.placements[0]?.message).toMatch(/^placed on lab-\d/);
    expect(result.unplaced).toEqual([]);
    expect(result.replicas).toBe(3);
  });

  it("explains a request no node can hold", () => {
    const huge = spec({ resources: { memoryRequestBytes: 64 * GIB_BYTES } });
    const request = { ...toSchedulerSpec("a1", huge, new Map(), true), replicas: 2 };
    const result = toDryRunResult("web", planPlacement({ nodes, replicas: [] }, request, 1), names);

    expect(result.placements).toEqual([]);
    expect(result.unplaced).toHaveLength(2);
    expect(result.unplaced[0]?.message).toBe("0 of 3 nodes fit: 3 lack 64 GiB of free memory");
  });
});
