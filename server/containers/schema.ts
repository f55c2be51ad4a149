/** The fleet-wide container list: what a caller may ask for and what it gets back. */
import { z } from "zod";

/** The state filter the list offers; "exited" is Docker's state for a stopped container. */
export const CONTAINER_STATE_FILTERS = ["all", "running", "exited"] as const;
export type TContainerStateFilter = (typeof CONTAINER_STATE_FILTERS)[number];

export const MAX_CONTAINER_QUERY_LENGTH = 200;
/** Rows one answer may carry; a browser table stays usable up to about this many. */
export const MAX_CONTAINER_ROWS = 2_000;

export const ZContainerListInput = z
  .object({
    query: z
      .string()
      .trim()
      .max(MAX_CONTAINER_QUERY_LENGTH, `must be at most ${MAX_CONTAINER_QUERY_LENGTH} characters`)
      .default(""),
    state: z.enum(CONTAINER_STATE_FILTERS).default("all"),
  })
  .default({ query: "", state: "all" });

export type TContainerListInput = z.infer<typeof ZContainerListInput>;

/** A port the engine publishes on the host. */
export const ZPublishedPort = z.object({
  hostIp: z.string(),
  hostPort: z.number(),
  containerPort: z.number(),
  protocol: z.string(),
});

export type TPublishedPortView = z.infer<typeof ZPublishedPort>;

export const ZContainerRow = z.object({
  nodeId: z.string(),
  nodeName: z.string(),
  id: z.string(),
  shortId: z.string(),
  name: z.string(),
  image: z.string(),
  /** Docker's state: created, running, paused, restarting, removing, exited or dead. */
  state: z.string(),
  /** Docker's own words, e.g. "Up 3 minutes" or "Exited (0) 2 hours ago". */
  status: z.string(),
  createdAt: z.date(),
  ports: z.array(ZPublishedPort),
  /** Carries Berth's replica label, whichever installation made it. */
  isBerth: z.boolean(),
  /** The app it runs, when that app exists in this installation. */
  app: z.object({ id: z.string(), name: z.string() }).nullable(),
  replicaId: z.string().nullable(),
  revisionId: z.string().nullable(),
  /** Current CPU and memory: a replica of this installation's newest stats point. */
  usage: z
    .object({
      at: z.date(),
      /** In percent of one core. */
      cpuPercent: z.number(),
      memoryBytes: z.number(),
      memoryPercent: z.number(),
    })
    .nullable(),
  /** Why there is no usage (not running, not sampled by Berth, no sample yet). */
  usageNote: z.string().nullable(),
});

export type TContainerRow = z.infer<typeof ZContainerRow>;

/** How one node's listing went: listed, failed (the reason says why) or skipped (unreachable). */
export const ZNodeListing = z.object({
  nodeId: z.string(),
  nodeName: z.string(),
  outcome: z.enum(["listed", "failed", "skipped"]),
  containerCount: z.number(),
  error: z.string().nullable(),
});

export type TNodeListing = z.infer<typeof ZNodeListing>;

export const ZContainerList = z.object({
  rows: z.array(ZContainerRow),
  /** Rows that matched before the cap. */
  total: z.number(),
  isTruncated: z.boolean(),
  nodes: z.array(ZNodeListing),
  listedAt: z.date(),
});

export type TContainerList = z.infer<typeof ZContainerList>;
