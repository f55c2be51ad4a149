/**
 * fast-check arbitraries for the scheduler's property tests: small random clusters with every
 * kind of node (unready, cordoned, draining, labelled or not, full or empty) and requests with
 * every kind of rule.
 */
import fc from "fast-check";

import { MIB_BYTES } from "./harness";
import { imageKeys } from "./images";
import {
  type TAppSpec,
  type TLabelConstraint,
  type TPlacementRequest,
  type TSchedulerNode,
  type TSnapshot,
  type TSnapshotReplica,
} from "./types";

const ZONES = ["a", "b", "c"];
const APPS = ["web", "db", "cache"];

const arbLabels = fc.record(
  { zone: fc.constantFrom(...ZONES), disk: fc.constantFrom("ssd", "hdd") },
  { requiredKeys: [] },
);

function arbNode(id: string): fc.Arbitrary<TSchedulerNode> {
  return fc.record({
    id: fc.constant(id),
    name: fc.constant(`node-${id}`),
    status: fc.constantFrom("ready", "ready", "ready", "unreachable"),
    availability: fc.constantFrom("active", "active", "active", "cordoned", "draining"),
    labels: arbLabels,
    cpuMillis: fc.integer({ min: 1, max: 16 }).map((cores) => cores * 500),
    memoryBytes: fc.integer({ min: 1, max: 32 }).map((halves) => halves * 512 * MIB_BYTES),
    images: fc.subarray(["web:1", "db:1"]).map((images) => imageKeys(images)),
    usedHostPorts: fc.record({ tcp: fc.subarray([80, 443]), udp: fc.subarray([53]) }),
  });
}

function arbReplica(nodeIds: readonly string[], index: number): fc.Arbitrary<TSnapshotReplica> {
  return fc.record({
    id: fc.constant(`r${index}`),
    appId: fc.constantFrom(...APPS),
    nodeId: fc.constantFrom(...nodeIds),
    cpuMillis: fc.integer({ min: 1, max: 8 }).map((n) => n * 250),
    memoryBytes: fc.integer({ min: 1, max: 8 }).map((n) => n * 256 * MIB_BYTES),
    hostPorts: fc.oneof(fc.constant([]), fc.constant([{ port: 8080, protocol: "tcp" as const }])),
  });
}

/** 1 to 12 nodes and up to 30 replicas on them, some anti-affinity declared. */
export const arbSnapshot: fc.Arbitrary<TSnapshot> = fc
  .integer({ min: 1, max: 12 })
  .chain((nodeCount) => {
    const ids = Array.from({ length: nodeCount }, (_, i) => `n${i}`);

    return fc.record({
      nodes: fc.tuple(...ids.map(arbNode)),
      replicas: fc
        .integer({ min: 0, max: 30 })
        .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => arbReplica(ids, i)))),
      antiAffinity: fc.record({ cache: fc.subarray(["api", "web"]) }, { requiredKeys: [] }),
    });
  });

const arbConstraint: fc.Arbitrary<TLabelConstraint> = fc.oneof(
  fc.record({
    key: fc.constantFrom("zone", "disk"),
    operator: fc.constantFrom<"==" | "!=">("==", "!="),
    value: fc.constantFrom("a", "b", "ssd"),
  }),
  fc.record({
    key: fc.constant("zone"),
    operator: fc.constant<"in">("in"),
    values: fc.subarray(ZONES, { minLength: 1 }),
  }),
);

/** A request for 0 to 12 replicas of `web` or `api` with random rules. */
export const arbRequest: fc.Arbitrary<TPlacementRequest> = fc.record({
  appId: fc.constantFrom("web", "api"),
  appName: fc.constantFrom("web", "api"),
  replicas: fc.integer({ min: 0, max: 12 }),
  cpuMillis: fc.integer({ min: 0, max: 12 }).map((n) => n * 250),
  memoryBytes: fc.integer({ min: 0, max: 16 }).map((n) => n * 256 * MIB_BYTES),
  hostPorts: fc.subarray([
    { port: 80, protocol: "tcp" as const },
    { port: 53, protocol: "udp" as const },
  ]),
  image: fc.constantFrom("web:1", "db:1"),
  canPull: fc.boolean(),
  placement: fc.record({
    strategy: fc.constantFrom<"binpack" | "spread">("binpack", "spread"),
    constraints: fc.array(arbConstraint, { maxLength: 2 }),
    maxPerNode: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    antiAffinity: fc.subarray(["db", "cache"]),
    spreadBy: fc.option(fc.constant("zone"), { nil: null }),
  }),
});

/** Specs for the snapshot's apps (some left out: their replicas must stay put). */
export const arbSpecs: fc.Arbitrary<TAppSpec[]> = fc
  .subarray(APPS, { minLength: 1 })
  .chain((appIds) => fc.tuple(...appIds.map(arbSpec)));

function arbSpec(appId: string): fc.Arbitrary<TAppSpec> {
  return arbRequest.map(({ replicas: _replicas, ...spec }) => ({ ...spec, appId, appName: appId }));
}
