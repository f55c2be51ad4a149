import { describe, expect, it } from "vitest";

import {
  CODE_ANTI_AFFINITY,
  CODE_CONSTRAINT,
  CODE_CORDONED,
  CODE_CPU,
  CODE_DRAINING,
  CODE_IMAGE,
  CODE_MAX_PER_NODE,
  CODE_MEMORY,
  CODE_PORT,
  CODE_UNREACHABLE,
  REASON_CODE_COUNT,
  compileSnapshot,
} from "./cluster";
import { reasonCountsOf } from "./explain";
import { filterNodes, prepareRequest } from "./filter";
import { GIB_BYTES, fakeNode, fakeReplica, fakeRequest } from "./harness";
import { imageKeys } from "./images";
import {
  REJECT_REASONS,
  type TPlacementRequest,
  type TReasonCounts,
  type TSnapshot,
} from "./types";

/** Runs the filter for one replica; returns the feasible node ids and the reason counts. */
function filter(snapshot: TSnapshot, request: TPlacementRequest) {
  const state = compileSnapshot(snapshot);
  const ctx = prepareRequest(state, request, 1);
  filterNodes(ctx);
  const feasible = Array.from(ctx.feasible.subarray(0, ctx.feasibleCount), (i) => state.nodeIds[i]);

  return { feasible, counts: reasonCountsOf(ctx.staticCounts, ctx.dynamicCounts) };
}

function nonZero(counts: TReasonCounts): Partial<TReasonCounts> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

const rules = fakeRequest().placement;

describe("filter stage", () => {
  it("uses reason codes in the order of REJECT_REASONS", () => {
    const codes = {
      "node-unreachable": CODE_UNREACHABLE,
      "node-cordoned": CODE_CORDONED,
      "node-draining": CODE_DRAINING,
      "label-constraint": CODE_CONSTRAINT,
      "image-unavailable": CODE_IMAGE,
      "anti-affinity": CODE_ANTI_AFFINITY,
      "host-port-conflict": CODE_PORT,
      "max-per-node": CODE_MAX_PER_NODE,
      "insufficient-cpu": CODE_CPU,
      "insufficient-memory": CODE_MEMORY,
    };

    expect(REJECT_REASONS.map((reason) => codes[reason])).toEqual(
      REJECT_REASONS.map((_, index) => index + 1),
    );
    expect(REASON_CODE_COUNT).toBe(REJECT_REASONS.length + 1);
  });

  it("keeps only ready, active nodes", () => {
    const snapshot = {
      nodes: [
        fakeNode("ok"),
        fakeNode("down", { status: "unreachable" }),
        fakeNode("cordoned", { availability: "cordoned" }),
        fakeNode("draining", { availability: "draining" }),
      ],
      replicas: [],
    };
    const { feasible, counts } = filter(snapshot, fakeRequest());

    expect(feasible).toEqual(["ok"]);
    expect(nonZero(counts)).toEqual({
      "node-unreachable": 1,
      "node-cordoned": 1,
      "node-draining": 1,
    });
  });

  it("applies label constraints ==, != and in; a missing label passes only !=", () => {
    const snapshot = {
      nodes: [
        fakeNode("eu", { labels: { zone: "eu" } }),
        fakeNode("us", { labels: { zone: "us" } }),
        fakeNode("none"),
      ],
      replicas: [],
    };
    const run = (constraint: TPlacementRequest["placement"]["constraints"][number]) =>
      filter(snapshot, fakeRequest({ placement: { ...rules, constraints: [constraint] } }))
        .feasible;

    expect(run({ key: "zone", operator: "==", value: "eu" })).toEqual(["eu"]);
    expect(run({ key: "zone", operator: "!=", value: "eu" })).toEqual(["none", "us"]);
    expect(run({ key: "zone", operator: "in", values: ["us", "ap"] })).toEqual(["us"]);
    expect(run({ key: "zone", operator: "==", value: "mars" })).toEqual([]);
    expect(run({ key: "zone", operator: "!=", value: "mars" })).toEqual(["eu", "none", "us"]);
  });

  it("needs the image on the node only when pulling is off", () => {
    const snapshot = {
      nodes: [fakeNode("has", { images: imageKeys(["web:1"]) }), fakeNode("lacks")],
      replicas: [],
    };

    expect(filter(snapshot, fakeRequest({ canPull: true })).feasible).toEqual(["has", "lacks"]);
    const offline = filter(snapshot, fakeRequest({ canPull: false }));

    expect(offline.feasible).toEqual(["has"]);
    expect(nonZero(offline.counts)).toEqual({ "image-unavailable": 1 });
  });

  it("keeps anti-affine apps apart in both directions", () => {
    const snapshot: TSnapshot = {
      nodes: [fakeNode("a"), fakeNode("b"), fakeNode("c")],
      replicas: [fakeReplica("r1", "db", "a"), fakeReplica("r2", "batch", "b")],
      antiAffinity: { batch: ["web"] },
    };
    const request = fakeRequest({ placement: { ...rules, antiAffinity: ["db"] } });
    const { feasible, counts } = filter(snapshot, request);

    expect(feasible).toEqual(["c"]);
    expect(counts["anti-affinity"]).toBe(2);
  });

  it("rejects a node whose host port is taken, per protocol", () => {
    const snapshot = {
      nodes: [
        fakeNode("tcp80", { usedHostPorts: { tcp: [80], udp: [] } }),
        fakeNode("udp80", { usedHostPorts: { tcp: [], udp: [80] } }),
        fakeNode("replica80"),
      ],
      replicas: [
        fakeReplica("r1", "other", "replica80", { hostPorts: [{ port: 80, protocol: "tcp" }] }),
      ],
    };
    const request = fakeRequest({ hostPorts: [{ port: 80, protocol: "tcp" }] });
    const { feasible, counts } = filter(snapshot, request);

    expect(feasible).toEqual(["udp80"]);
    expect(counts["host-port-conflict"]).toBe(2);
  });

  it("enforces max per node, then free CPU, then free memory", () => {
    const snapshot = {
      nodes: [
        fakeNode("full-of-web"),
        fakeNode("no-cpu", { cpuMillis: 400 }),
        fakeNode("no-memory", { memoryBytes: GIB_BYTES / 4 }),
        fakeNode("fits"),
      ],
      replicas: [fakeReplica("r1", "web", "full-of-web")],
    };
    const request = fakeRequest({ placement: { ...rules, maxPerNode: 1 } });
    const { feasible, counts } = filter(snapshot, request);

    expect(feasible).toEqual(["fits"]);
    expect(nonZero(counts)).toEqual({
      "max-per-node": 1,
      "insufficient-cpu": 1,
      "insufficient-memory": 1,
    });
  });

  it("counts existing reservations against free capacity", () => {
    const snapshot = {
      nodes: [fakeNode("busy", { cpuMillis: 1000 })],
      replicas: [fakeReplica("r1", "db", "busy", { cpuMillis: 600 })],
    };

    expect(filter(snapshot, fakeRequest({ cpuMillis: 400 })).feasible).toEqual(["busy"]);
    expect(filter(snapshot, fakeRequest({ cpuMillis: 401 })).feasible).toEqual([]);
  });

  it("records each node once, under the first check it fails", () => {
    const snapshot = {
      nodes: [fakeNode("x", { availability: "cordoned", labels: { zone: "us" }, cpuMillis: 1 })],
      replicas: [],
    };
    const request = fakeRequest({
      placement: { ...rules, constraints: [{ key: "zone", operator: "==", value: "eu" }] },
    });

    expect(nonZero(filter(snapshot, request).counts)).toEqual({ "node-cordoned": 1 });
  });
});
