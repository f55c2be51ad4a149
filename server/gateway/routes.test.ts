import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { backendOf, routeSpecOf } from "./routes";

const NODE = { id: "n1", health: "ready", advertiseAddress: "127.0.0.2", cpus: 4 };
const PUBLISHED = [{ containerPort: 8080, protocol: "tcp", hostIp: "127.0.0.2", hostPort: 32001 }];

function replica(overrides: Partial<Parameters<typeof backendOf>[0]> = {}) {
  return {
    id: "r1",
    slot: 1,
    state: "running" as const,
    health: "healthy" as const,
    hostPorts: PUBLISHED,
    node: NODE,
    ...overrides,
  };
}

function specOf(lb: Record<string, unknown>) {
  const spec = routeSpecOf({
    currentRevision: { spec: { ports: [{ containerPort: 8080, protocol: "tcp" }], lb } },
  });
  if (!spec) {
    throw new Error("spec did not parse");
  }

  return spec;
}

describe("backendOf", () => {
  it("makes a ready replica on a ready node a backend at its published address", () => {
    expect(backendOf(replica(), 8080, specOf({}))).toEqual({
      replicaId: "r1",
      slot: 1,
      nodeId: "n1",
      host: "127.0.0.2",
      port: 32001,
      weight: 1,
    });
  });

  it.each([
    ["an unreachable node", { node: { ...NODE, health: "unreachable" } }],
    ["a node that is not ready yet", { node: { ...NODE, health: "unknown" } }],
    ["no node", { node: null }],
    ["an unhealthy replica", { health: "unhealthy" as const }],
    ["a replica still starting its check", { health: "starting" as const }],
    ["a stopping replica", { state: "stopping" as const }],
    ["no published port", { hostPorts: [] }],
  ])("leaves out %s", (_what, overrides) => {
    expect(backendOf(replica(overrides), 8080, specOf({}))).toBeUndefined();
  });

  it("weighs by slot, missing slots 1", () => {
    const spec = specOf({ policy: "weighted", weights: [5, 3] });

    expect(backendOf(replica({ slot: 1 }), 8080, spec)?.weight).toBe(3);
    expect(backendOf(replica({ slot: 4 }), 8080, spec)?.weight).toBe(1);
  });

  it("weighs by the node's CPUs with weightByNodeCapacity, at least 1", () => {
    const spec = specOf({ policy: "weighted", weightByNodeCapacity: true });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 256 }), fc.nat(20), (cpus, slot) => {
        const backend = backendOf(replica({ slot, node: { ...NODE, cpus } }), 8080, spec);

        expect(backend?.weight).toBe(Math.max(1, cpus));
      }),
    );
  });

  it("reaches a port published on every interface at the node's advertised address", () => {
    const published = [{ containerPort: 8080, protocol: "tcp", hostIp: "0.0.0.0", hostPort: 1 }];
    const node = { ...NODE, advertiseAddress: "127.0.0.4" };

    expect(backendOf(replica({ hostPorts: published, node }), 8080, specOf({}))?.host).toBe(
      "127.0.0.4",
    );
  });
});
