/**
 * The live points of a replica, an app or a node, each second, from the hub's shared streams.
 * A replica's points are passed on as the engine gives them; an app's or a node's are its
 * running replicas' newest points summed once a second. Which containers count is read again
 * every few seconds, so a scaled or moved app keeps its chart.
 */
import type { Node, PrismaClient } from "@/server/db/generated/client";

import type { LiveStatsHub } from "./live-hub";
import { bucketOf, sumPoints } from "./maths";
import type { TStatPoint } from "./schema";
import type { TStatTarget } from "./service";

const REFRESH_MS = 5000;
const TICK_MS = 1000;
/** A container's newest point counts in a sum while it is at most this old. */
const FRESH_MS = 2500;
/** Points waiting for a slow consumer; older ones are dropped first. */
const QUEUE_MAX = 300;

export type TContainer = { containerId: string; node: Node };

async function containersOf(db: PrismaClient, target: TStatTarget): Promise<TContainer[]> {
  const where =
    target.scope === "replica"
      ? { id: target.id }
      : target.scope === "app"
        ? { appId: target.id }
        : { nodeId: target.id };
  const replicas = await db.replica.findMany({
    where: { ...where, state: "running", containerId: { not: null } },
    include: { node: true },
  });

  return replicas.flatMap(({ containerId, node }) =>
    containerId && node ? [{ containerId, node }] : [],
  );
}

/**
 * The recent points of several containers as sums per second: only seconds every container
 * has a point for, so a sum never dips because one stream started later.
 */
export function summedBacklog(
  rings: readonly (readonly TStatPoint[])[],
  limitBytes?: number,
): TStatPoint[] {
  const bySecond = new Map<number, TStatPoint[]>();
  for (const ring of rings) {
    for (const point of ring) {
      const second = bucketOf(point.at, 1).getTime();
      bySecond.set(second, [...(bySecond.get(second) ?? []), point]);
    }
  }

  return [...bySecond.entries()]
    .filter(([, points]) => points.length === rings.length)
    .sort(([a], [b]) => a - b)
    .map(([second, points]) => sumPoints(new Date(second), points, limitBytes));
}

/** What the live points read of the hub. */
export type TLiveStatsSource = Pick<LiveStatsHub, "subscribe" | "latest">;

export type TLivePointsOptions = {
  hub: TLiveStatsSource;
  /** The containers whose points count now; read again every `refreshMs`. */
  readContainers: () => Promise<TContainer[]>;
  /** Sum the containers' newest points once a second (an app or a node) or pass them on. */
  isSummed: boolean;
  /** A node's memory, which a summed point counts against. */
  limitBytes?: number;
  signal: AbortSignal;
  refreshMs?: number;
  tickMs?: number;
};

/**
 * Yields points until `signal` aborts or the consumer stops; every subscription made ends
 * with it. A refresh still reading containers when the viewer leaves subscribes nothing.
 */
export async function* pointsOf(options: TLivePointsOptions): AsyncGenerator<TStatPoint, void> {
  const { hub, isSummed, limitBytes, signal } = options;
  const subscriptions = new Map<string, () => void>();
  const queue: TStatPoint[] = [];
  let wake: (() => void) | undefined;
  let isDone = false;
  let refreshing: Promise<void> | undefined;
  const push = (points: TStatPoint[]) => {
    queue.push(...points);
    queue.splice(0, Math.max(0, queue.length - QUEUE_MAX));
    wake?.();
  };

  const refresh = async (isFirst: boolean) => {
    const containers = await options.readContainers();
    // The viewer left while the containers were read: nothing may be subscribed now, since
    // the clean-up below has already run or is about to.
    if (isDone || signal.aborted) {
      return;
    }
    const ids = new Set(containers.map((c) => c.containerId));
    for (const [id, unsubscribe] of subscriptions) {
      if (!ids.has(id)) {
        unsubscribe();
        subscriptions.delete(id);
      }
    }
    const rings: TStatPoint[][] = [];
    for (const { containerId, node: host } of containers) {
      if (subscriptions.has(containerId)) {
        continue;
      }
      const listener = isSummed ? () => undefined : (point: TStatPoint) => push([point]);
      const { recent, unsubscribe } = hub.subscribe(host, containerId, listener);
      subscriptions.set(containerId, unsubscribe);
      rings.push(recent);
    }
    if (isFirst) {
      push(isSummed ? summedBacklog(rings, limitBytes) : (rings[0] ?? []));
    }
  };
  const refreshLater = () => {
    // One refresh at a time: a slow database does not stack them up.
    if (refreshing || isDone) {
      return;
    }
    refreshing = refresh(false)
      .catch(() => undefined)
      .finally(() => {
        refreshing = undefined;
      });
  };

  const tick = () => {
    const now = Date.now();
    const fresh = [...subscriptions.keys()]
      .map((id) => hub.latest(id))
      .filter((point) => point !== undefined && now - point.at.getTime() <= FRESH_MS);
    if (fresh.length > 0) {
      push([sumPoints(bucketOf(new Date(now), 1), fresh as TStatPoint[], limitBytes)]);
    }
  };

  let refreshTimer: NodeJS.Timeout | undefined;
  let tickTimer: NodeJS.Timeout | undefined;
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    await refresh(true);
    refreshTimer = setInterval(refreshLater, options.refreshMs ?? REFRESH_MS);
    tickTimer = isSummed ? setInterval(tick, options.tickMs ?? TICK_MS) : undefined;
    while (!signal.aborted) {
      const point = queue.shift();
      if (point) {
        yield point;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    isDone = true;
    signal.removeEventListener("abort", onAbort);
    clearInterval(refreshTimer);
    clearInterval(tickTimer);
    for (const unsubscribe of subscriptions.values()) {
      unsubscribe();
    }
    subscriptions.clear();
  }
}

/** Yields the target's points until `signal` aborts; subscriptions end with it. */
export async function* livePoints(
  db: PrismaClient,
  hub: TLiveStatsSource,
  target: TStatTarget,
  signal: AbortSignal,
): AsyncGenerator<TStatPoint, void> {
  const node =
    target.scope === "node" ? await db.node.findUnique({ where: { id: target.id } }) : null;
  yield* pointsOf({
    hub,
    readContainers: () => containersOf(db, target),
    isSummed: target.scope !== "replica",
    limitBytes: node ? Number(node.memoryBytes) : undefined,
    signal,
  });
}
