/**
 * Stage 1, filter: which nodes can take one more replica of the app, and for every other node
 * the first reason it cannot.
 *
 * Checks split in two. Static checks (node gate, label constraints, image, anti-affinity, host
 * ports) do not change while one app is placed, so they run once per request over all nodes.
 * Dynamic checks (max per node, free CPU, free memory) run per replica over the nodes that
 * passed the static ones. Each check only marks nodes still unmarked, so a node is counted once,
 * under the first check it fails, in the order of REJECT_REASONS.
 */
import {
  CODE_ANTI_AFFINITY,
  CODE_CONSTRAINT,
  CODE_CPU,
  CODE_IMAGE,
  CODE_MAX_PER_NODE,
  CODE_MEMORY,
  CODE_PORT,
  FITS,
  REASON_CODE_COUNT,
  type TClusterState,
  type TLabelColumn,
  portKey,
} from "./cluster";
import { imageKey } from "./images";
import { type TLabelConstraint, type TPlacementRequest } from "./types";

/** Everything one request needs while its replicas are placed; buffers come from scratch. */
export type TRequestContext = {
  state: TClusterState;
  request: TPlacementRequest;
  seed: number;
  maxPerNode: number;
  /** Per node: FITS, or the static reason code. */
  staticReason: Uint8Array;
  staticCounts: Int32Array;
  /** Per node rejected by a constraint: the index of the first constraint it fails. */
  constraintOf: Int16Array;
  /** Per constraint: the nodes it was the first to reject. */
  constraintFailures: number[];
  /** Replicas of this app per node, kept current as replicas are placed. */
  appCount: Int32Array;
  /** Nodes that pass every static check. */
  candidates: Int32Array;
  candidateCount: number;
  /** Nodes that pass every check for the next replica, and how many. */
  feasible: Int32Array;
  feasibleCount: number;
  dynamicCounts: Int32Array;
  /** spreadBy label value id per node, and this app's replicas per value id. */
  spreadGroupOf: Int32Array | null;
  spreadGroupCount: Int32Array | null;
};

/**
 * Which label value ids pass a constraint, as a 0/1 table indexed by value id (id 0 is "no such
 * label"). A value no node carries has no id, so `==` and `in` on it pass nothing.
 */
function passingValues(column: TLabelColumn | undefined, constraint: TLabelConstraint) {
  const passes = new Uint8Array(column?.values.length ?? 1);
  if (constraint.operator === "!=") {
    passes.fill(1);
  }
  const listed = constraint.operator === "in" ? constraint.values : [constraint.value];
  for (const value of listed) {
    const id = column?.valueIds.get(value);
    if (id !== undefined) {
      passes[id] = constraint.operator === "!=" ? 0 : 1;
    }
  }

  return passes;
}

/** Label constraints: `==` and `in` need the label; `!=` passes a node without it. */
function checkConstraints(ctx: TRequestContext): void {
  const { staticReason, constraintOf, state } = ctx;
  const [fits, code] = [FITS, CODE_CONSTRAINT];
  ctx.request.placement.constraints.forEach((constraint, k) => {
    const column = state.labels.get(constraint.key);
    const byNode = column?.byNode ?? state.scratch.noLabels;
    const passes = passingValues(column, constraint);
    let failed = 0;
    for (let i = 0; i < state.nodeCount; i++) {
      if (staticReason[i] === fits && passes[byNode[i]!] === 0) {
        staticReason[i] = code;
        constraintOf[i] = k;
        failed++;
      }
    }
    ctx.constraintFailures.push(failed);
  });
}

/** Marks the given nodes with `code` where they are still unmarked. */
function markNodes(ctx: TRequestContext, nodes: Iterable<number>, code: number): void {
  const fits = FITS;
  for (const index of nodes) {
    if (ctx.staticReason[index] === fits) {
      ctx.staticReason[index] = code;
    }
  }
}

/** The image: present on the node, or pullable. */
function checkImage(ctx: TRequestContext): void {
  if (ctx.request.canPull) {
    return;
  }
  const { mark } = ctx.state.scratch;
  const [fits, code] = [FITS, CODE_IMAGE];
  mark.fill(0);
  for (const index of ctx.state.imageNodes.get(imageKey(ctx.request.image)) ?? []) {
    mark[index] = 1;
  }
  for (let i = 0; i < ctx.state.nodeCount; i++) {
    if (mark[i] === 0 && ctx.staticReason[i] === fits) {
      ctx.staticReason[i] = code;
    }
  }
}

/** Anti-affinity, both ways: apps this app refuses, and apps that refuse this app. */
function checkAntiAffinity(ctx: TRequestContext): void {
  const { state, request } = ctx;
  const declarers = state.antiAffinityAgainst.get(request.appId);
  if (request.placement.antiAffinity.length === 0 && !declarers) {
    return;
  }
  const refused = new Set([...request.placement.antiAffinity, ...(declarers ?? [])]);
  refused.delete(request.appId);
  for (const appId of refused) {
    markNodes(ctx, state.appNodes.get(appId)?.keys() ?? [], CODE_ANTI_AFFINITY);
  }
}

/** Host ports: each fixed port must be free on the node, per protocol. */
function checkHostPorts(ctx: TRequestContext): void {
  for (const port of ctx.request.hostPorts) {
    markNodes(ctx, ctx.state.portNodes.get(portKey(port)) ?? [], CODE_PORT);
  }
}

function collectCandidates(ctx: TRequestContext): void {
  const { staticReason, staticCounts, candidates } = ctx;
  const fits = FITS;
  let count = 0;
  for (let i = 0; i < ctx.state.nodeCount; i++) {
    const code = staticReason[i]!;
    staticCounts[code] = staticCounts[code]! + 1;
    if (code === fits) {
      candidates[count++] = i;
    }
  }
  ctx.candidateCount = count;
}

function loadAppCounts(ctx: TRequestContext): void {
  for (const [index, count] of ctx.state.appNodes.get(ctx.request.appId) ?? []) {
    ctx.appCount[index] = count;
  }
}

function loadSpreadGroups(ctx: TRequestContext): void {
  const key = ctx.request.placement.spreadBy;
  if (key === null) {
    return;
  }
  const column = ctx.state.labels.get(key);
  const groupOf = column?.byNode ?? new Int32Array(ctx.state.nodeCount);
  const groupCount = new Int32Array(column?.values.length ?? 1);
  for (const [index, count] of ctx.state.appNodes.get(ctx.request.appId) ?? []) {
    const group = groupOf[index]!;
    groupCount[group] = groupCount[group]! + count;
  }
  ctx.spreadGroupOf = groupOf;
  ctx.spreadGroupCount = groupCount;
}

/** Sets up a request: runs the static checks once and loads the app's current replicas. */
export function prepareRequest(
  state: TClusterState,
  request: TPlacementRequest,
  seed: number,
): TRequestContext {
  const { scratch } = state;
  scratch.staticReason.set(state.nodeGate);
  const ctx: TRequestContext = {
    state,
    request,
    seed: seed >>> 0,
    maxPerNode: request.placement.maxPerNode ?? Number.POSITIVE_INFINITY,
    staticReason: scratch.staticReason,
    staticCounts: new Int32Array(REASON_CODE_COUNT),
    constraintOf: scratch.constraintOf,
    constraintFailures: [],
    appCount: scratch.appCount,
    candidates: scratch.candidates,
    candidateCount: 0,
    feasible: scratch.feasible,
    feasibleCount: 0,
    dynamicCounts: new Int32Array(REASON_CODE_COUNT),
    spreadGroupOf: null,
    spreadGroupCount: null,
  };
  checkConstraints(ctx);
  checkImage(ctx);
  checkAntiAffinity(ctx);
  checkHostPorts(ctx);
  collectCandidates(ctx);
  loadAppCounts(ctx);
  loadSpreadGroups(ctx);

  return ctx;
}

/**
 * The per-replica filter: of the nodes that passed the static checks, those under the app's
 * max per node with enough free CPU and memory. Free capacity already includes the replicas
 * placed earlier in the same plan.
 */
export function filterNodes(ctx: TRequestContext): void {
  const { candidates, candidateCount, appCount, maxPerNode, feasible, dynamicCounts } = ctx;
  const { cpuFree, memoryFree } = ctx.state;
  const cpu = ctx.request.cpuMillis;
  const memory = ctx.request.memoryBytes;
  // Imported bindings are read once, not per node: behind a module wrapper each read can be a
  // getter call, and this loop runs for every node for every replica.
  const [fits, maxCode, cpuCode, memoryCode] = [FITS, CODE_MAX_PER_NODE, CODE_CPU, CODE_MEMORY];
  dynamicCounts.fill(0);
  let count = 0;
  for (let k = 0; k < candidateCount; k++) {
    const i = candidates[k]!;
    const code =
      appCount[i]! >= maxPerNode
        ? maxCode
        : cpuFree[i]! < cpu
          ? cpuCode
          : memoryFree[i]! < memory
            ? memoryCode
            : fits;
    if (code === fits) {
      feasible[count++] = i;
    } else {
      dynamicCounts[code] = dynamicCounts[code]! + 1;
    }
  }
  ctx.feasibleCount = count;
}

/**
 * A replica went to node `index`: its app count and spread group grow, and with fixed host
 * ports the node now conflicts with the app's next replicas.
 */
export function notePlaced(ctx: TRequestContext, index: number): void {
  ctx.appCount[index] = ctx.appCount[index]! + 1;
  const { spreadGroupOf, spreadGroupCount } = ctx;
  if (spreadGroupOf && spreadGroupCount) {
    const group = spreadGroupOf[index]!;
    spreadGroupCount[group] = spreadGroupCount[group]! + 1;
  }
  if (ctx.request.hostPorts.length === 0) {
    return;
  }
  ctx.staticReason[index] = CODE_PORT;
  ctx.staticCounts[CODE_PORT] = ctx.staticCounts[CODE_PORT]! + 1;
  ctx.staticCounts[FITS] = ctx.staticCounts[FITS]! - 1;
  removeCandidate(ctx, index);
}

function removeCandidate(ctx: TRequestContext, index: number): void {
  const { candidates } = ctx;
  let write = 0;
  for (let k = 0; k < ctx.candidateCount; k++) {
    const i = candidates[k]!;
    if (i !== index) {
      candidates[write++] = i;
    }
  }
  ctx.candidateCount = write;
}

/** Leaves the shared buffers clean for the next request. */
export function releaseRequest(ctx: TRequestContext): void {
  for (const index of ctx.state.appNodes.get(ctx.request.appId)?.keys() ?? []) {
    ctx.appCount[index] = 0;
  }
}
