/**
 * The live points' bookkeeping on a fake hub: every subscription a viewer causes ends when
 * the viewer leaves, also one that a refresh was about to make, and also when a refresh fails.
 */
import { describe, expect, it } from "vitest";

import type { Node } from "@/server/db/generated/client";

import type { TPointListener } from "./live-hub";
import { type TContainer, type TLiveStatsSource, pointsOf } from "./live";
import type { TStatPoint } from "./schema";

const NODE = { id: "n1", name: "n1", endpoint: "tcp://127.0.0.2:2375" } as Node;

function pointAt(ms: number, cpuPercent = 10): TStatPoint {
  return {
    at: new Date(ms),
    cpuPercent,
    memoryBytes: 100,
    memoryLimitBytes: 1000,
    memoryPercent: 10,
    netRxBps: 0,
    netTxBps: 0,
    blockReadBps: 0,
    blockWriteBps: 0,
  };
}

/** A hub that counts subscriptions per container and lets the test emit points. */
class FakeHub implements TLiveStatsSource {
  readonly listeners = new Map<string, Set<TPointListener>>();
  readonly latestPoints = new Map<string, TStatPoint>();
  refuse = new Set<string>();

  subscribe(_node: Node, containerId: string, listener: TPointListener) {
    if (this.refuse.has(containerId)) {
      throw new Error(`cannot watch ${containerId}`);
    }
    const set = this.listeners.get(containerId) ?? new Set();
    set.add(listener);
    this.listeners.set(containerId, set);

    return { recent: [], unsubscribe: () => set.delete(listener) };
  }

  latest(containerId: string) {
    return this.latestPoints.get(containerId);
  }

  emit(containerId: string, point: TStatPoint) {
    this.latestPoints.set(containerId, point);
    for (const listener of this.listeners.get(containerId) ?? []) {
      listener(point);
    }
  }

  /** Subscriptions still held, over every container. */
  get held(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });

  return { promise, resolve };
}

const containers = (...ids: string[]): TContainer[] =>
  ids.map((containerId) => ({ containerId, node: NODE }));

/** Waits for `check` in steps of 5 ms, at most `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error("condition not reached in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("pointsOf", () => {
  it("subscribes nothing for a refresh that returns after the viewer left", async () => {
    const hub = new FakeHub();
    const abort = new AbortController();
    const second = deferred<TContainer[]>();
    let reads = 0;
    const points = pointsOf({
      hub,
      readContainers: () => {
        reads += 1;

        return reads === 1 ? Promise.resolve(containers("a")) : second.promise;
      },
      isSummed: false,
      signal: abort.signal,
      refreshMs: 10,
    });
    const first = points.next();
    await until(() => hub.held === 1);
    hub.emit("a", pointAt(1000));

    expect((await first).value).toEqual(pointAt(1000));

    // A refresh is now reading the containers; the viewer leaves before it returns.
    await until(() => reads >= 2);
    abort.abort();

    expect((await points.next()).done).toBe(true);
    expect(hub.held).toBe(0);

    second.resolve(containers("a", "b"));
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(hub.held).toBe(0);
    expect(reads).toBe(2);
  });

  it("lets go of what the first refresh subscribed when it fails half-way", async () => {
    const hub = new FakeHub();
    hub.refuse.add("b");
    const points = pointsOf({
      hub,
      readContainers: () => Promise.resolve(containers("a", "b")),
      isSummed: false,
      signal: new AbortController().signal,
    });

    await expect(points.next()).rejects.toThrow("cannot watch b");
    expect(hub.held).toBe(0);
  });

  it("follows the containers a refresh reads, dropping those gone", async () => {
    const hub = new FakeHub();
    const abort = new AbortController();
    let current = containers("a", "b");
    const points = pointsOf({
      hub,
      readContainers: () => Promise.resolve(current),
      isSummed: false,
      signal: abort.signal,
      refreshMs: 10,
    });
    const first = points.next();
    await until(() => hub.held === 2);
    current = containers("b", "c");
    await until(() => hub.listeners.get("a")?.size === 0 && hub.listeners.get("c")?.size === 1);
    hub.emit("c", pointAt(2000));

    expect((await first).value?.at).toEqual(new Date(2000));

    abort.abort();
    await points.next();

    expect(hub.held).toBe(0);
  });

  it("sums the newest fresh point of each container once a tick", async () => {
    const hub = new FakeHub();
    const abort = new AbortController();
    const points = pointsOf({
      hub,
      readContainers: () => Promise.resolve(containers("a", "b")),
      isSummed: true,
      signal: abort.signal,
      tickMs: 20,
    });
    const first = points.next();
    await until(() => hub.held === 2);
    hub.emit("a", pointAt(Date.now(), 30));
    hub.emit("b", pointAt(Date.now(), 12));
    const summed = (await first).value;

    expect(summed?.cpuPercent).toBeCloseTo(42);
    expect(summed?.memoryBytes).toBe(200);

    abort.abort();
    await points.next();

    expect(hub.held).toBe(0);
  });
});
