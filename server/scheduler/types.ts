/**
 * The scheduler's inputs and outputs. Everything here is plain data: the controller builds a
 * snapshot from the database, the scheduler answers with a plan and an explanation, and
 * neither side shares mutable state with the other.
 */

/** Health as the node monitor last saw it. */
export type TNodeStatus = "ready" | "unreachable";

/** What an operator allows on a node: only `active` nodes take new replicas. */
export type TNodeAvailability = "active" | "cordoned" | "draining";

export type TProtocol = "tcp" | "udp";

/** A port published on the node's own address. */
export type THostPort = { port: number; protocol: TProtocol };

/** One node as the scheduler sees it: capacity, labels, images and taken host ports. */
export type TSchedulerNode = {
  id: string;
  name: string;
  status: TNodeStatus;
  availability: TNodeAvailability;
  labels: Readonly<Record<string, string>>;
  /** Allocatable CPU in thousandths of a core. */
  cpuMillis: number;
  /** Allocatable memory in bytes. */
  memoryBytes: number;
  /**
   * The images on the node, as keys (`imageKeys` of its repo tags, digests and ids), so that
   * `nginx` and `docker.io/library/nginx:latest` match one another.
   */
  images: ReadonlySet<string>;
  /** Host ports taken by anything on the node, Berth's replicas or not. */
  usedHostPorts: Readonly<Record<TProtocol, readonly number[]>>;
};

/** A replica that already holds a reservation on a node. */
export type TSnapshotReplica = {
  id: string;
  appId: string;
  nodeId: string;
  cpuMillis: number;
  memoryBytes: number;
  hostPorts: readonly THostPort[];
};

/** The cluster at one instant: the scheduler never reads anything else. */
export type TSnapshot = {
  nodes: readonly TSchedulerNode[];
  replicas: readonly TSnapshotReplica[];
  /**
   * Anti-affinity declared by apps that already run, keyed by app id, so that the rule holds in
   * both directions: an app that refuses to share a node with `db` keeps `db` away too.
   */
  antiAffinity?: Readonly<Record<string, readonly string[]>>;
};

export type TConstraintOperator = "==" | "!=" | "in";

/**
 * A rule on a node label. A node without the label fails `==` and `in` and passes `!=`, as
 * Kubernetes' `NotIn` and Nomad's `!=` do.
 */
export type TLabelConstraint =
  | { key: string; operator: "==" | "!="; value: string }
  | { key: string; operator: "in"; values: readonly string[] };

/**
 * `binpack` fills nodes before it opens new ones, so whole nodes stay free for large apps and
 * can be switched off; `spread` keeps load even, so one node's loss hurts least.
 */
export type TStrategy = "binpack" | "spread";

export type TPlacementRules = {
  strategy: TStrategy;
  constraints: readonly TLabelConstraint[];
  /** At most this many replicas of the app on one node; null for no limit. */
  maxPerNode: number | null;
  /** Apps whose replicas must never share a node with this app's. */
  antiAffinity: readonly string[];
  /** A node label (e.g. `zone`) whose values the app's replicas should be spread across. */
  spreadBy: string | null;
};

/** What the scheduler needs to know of an app to place one of its replicas. */
export type TAppSpec = {
  appId: string;
  /** The app's name, for messages people read. */
  appName: string;
  /** CPU request per replica, in thousandths of a core. */
  cpuMillis: number;
  /** Memory request per replica, in bytes. */
  memoryBytes: number;
  /** Fixed host ports each replica publishes; empty when the app uses no host port. */
  hostPorts: readonly THostPort[];
  image: string;
  /**
   * Whether nodes may pull an image they lack (BERTH_PULL_IMAGES). With pulls on, every node
   * passes the image filter: whether a registry holds the image is known only by pulling.
   */
  canPull: boolean;
  placement: TPlacementRules;
};

/** Place `replicas` new replicas of one app. */
export type TPlacementRequest = TAppSpec & { replicas: number };

/**
 * Why a node was rejected, in the order the filter checks them: a node is counted once, under
 * the first check it fails.
 */
export const REJECT_REASONS = [
  "node-unreachable",
  "node-cordoned",
  "node-draining",
  "label-constraint",
  "image-unavailable",
  "anti-affinity",
  "host-port-conflict",
  "max-per-node",
  "insufficient-cpu",
  "insufficient-memory",
] as const;

export type TRejectReason = (typeof REJECT_REASONS)[number];

export type TReasonCounts = Record<TRejectReason, number>;

/** The scorers, each documented with its formula in `scorers.ts`. */
export const SCORER_NAMES = [
  "binpack",
  "leastAllocated",
  "balanced",
  "nodeSpread",
  "labelSpread",
] as const;

export type TScorerName = (typeof SCORER_NAMES)[number];

/** Each scorer's normalised score, 0..100; 0 for a scorer the strategy weighs 0. */
export type TScores = Record<TScorerName, number>;

export type TPlacement = {
  replicaIndex: number;
  nodeId: string;
  /** The weighted score that won, 0..100. */
  score: number;
  scoresByScorer: TScores;
};

export type TUnplaced = {
  replicaIndex: number;
  reasonCounts: TReasonCounts;
  message: string;
};

export type TPlan = {
  appId: string;
  placements: TPlacement[];
  unplaced: TUnplaced[];
};

/** A node that was ranked, with what each scorer gave it. */
export type TCandidate = {
  nodeId: string;
  nodeName: string;
  score: number;
  scoresByScorer: TScores;
};

/** Why one replica went where it went, or why it went nowhere. */
export type TReplicaExplanation = {
  replicaIndex: number;
  nodesConsidered: number;
  nodesFeasible: number;
  /** Rejected nodes by reason; with `nodesFeasible` they add up to `nodesConsidered`. */
  reasonCounts: TReasonCounts;
  /** Nodes rejected by `label-constraint`, by the first constraint they fail (`zone == eu`). */
  constraintCounts: Record<string, number>;
  /** The best-ranked nodes, best first; the first is where the replica went. */
  candidates: TCandidate[];
  /** One line for people, e.g. `0 of 5 nodes fit: 3 lack 512 MiB of free memory, ...`. */
  message: string;
};

export type TExplanation = {
  /** The scorer weights used, so a score can be recomputed by hand. */
  weights: TScores;
  replicas: TReplicaExplanation[];
};

export type TPlacementResult = { plan: TPlan; explanation: TExplanation };
