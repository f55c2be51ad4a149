/**
 * The stats hub's reference counting on a fake engine: one stream per container however many
 * subscribers, closed (and its connection destroyed) a linger after the last one leaves, kept
 * when someone comes back in time, and reconnects that leave no listeners behind.
 */
import { getEventListeners } from "node:events";
import { PassThrough } from "node:stream";

import { describe, expect, it } from "vitest";

import type { Node } from "@/server/db/generated/client";
import { logger } from "@/server/logger";

import { LiveStatsHub, type TStatsStreamOpener, pause } from "./live-hub";

const NODE = { id: "n1", name: "n1", endpoint: "tcp://127.0.0.2:2375" } as Node;
const LINGER_MS = 60;

type TOpened = { containerId: string; body: PassThrough; signal: AbortSignal };

/** An opener that hands out PassThrough streams and remembers each one. */
function fakeEngine() {
  const opened: TOpened[] = [];
  const open: TStatsStreamOpener = (_node, containerId, signal) => {
    const body = new PassThrough();
    opened.push({ containerId, body, signal });

    return Promise.resolve(body);
  };
  const live = () => opened.filter((o) => !o.body.destroyed);

  return { opened, open, live };
}

/** One engine reading as the stats stream sends it, a line of JSON. */
function readingLine(atMs: number, cpuNs: number, systemNs: number): string {
  const cpu = (total: number, system: number) => ({
    cpu_usage: { total_usage: total },
    system_cpu_usage: system,
    online_cpus: 2,
  });

  return `${JSON.stringify({
    read: new Date(atMs).toISOString(),
    cpu_stats: cpu(cpuNs, systemNs),
    precpu_stats: cpu(cpuNs - 5e8, systemNs - 2e9),
    memory_stats: { usage: 4096, limit: 8192, stats: {} },
  })}\n`;
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error("condition not reached in time");
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("LiveStatsHub", () => {
  it("opens one stream per container for many subscribers, closed after the linger", async () => {
    const engine = fakeEngine();
    const hub = new LiveStatsHub({ log: logger(), open: engine.open, lingerMs: LINGER_MS });
    const leaves = [
      ...Array.from({ length: 3 }, () => hub.subscribe(NODE, "a", () => undefined)),
      ...Array.from({ length: 2 }, () => hub.subscribe(NODE, "b", () => undefined)),
    ];
    await until(() => engine.opened.length === 2);

    expect(engine.opened.map((o) => o.containerId).sort()).toEqual(["a", "b"]);
    expect(hub.subscribers()).toEqual(
      new Map([
        ["a", 3],
        ["b", 2],
      ]),
    );

    for (const { unsubscribe } of leaves) {
      unsubscribe();
    }

    // Still open during the linger, so a reload keeps its stream.
    expect(hub.openStreams).toBe(2);
    expect(engine.live()).toHaveLength(2);

    await until(() => hub.openStreams === 0 && engine.live().length === 0, LINGER_MS * 20);

    expect(engine.opened.every((o) => o.signal.aborted)).toBe(true);
  });

  it("keeps the stream when a subscriber comes back within the linger", async () => {
    const engine = fakeEngine();
    const hub = new LiveStatsHub({ log: logger(), open: engine.open, lingerMs: LINGER_MS });
    hub.subscribe(NODE, "a", () => undefined).unsubscribe();
    await sleep(LINGER_MS / 3);
    const again = hub.subscribe(NODE, "a", () => undefined);
    await sleep(LINGER_MS * 2);

    expect(engine.opened).toHaveLength(1);
    expect(engine.live()).toHaveLength(1);

    again.unsubscribe();
    await until(() => engine.live().length === 0, LINGER_MS * 20);
  });

  it("counts two subscribers passing one function as two", async () => {
    const engine = fakeEngine();
    const hub = new LiveStatsHub({ log: logger(), open: engine.open, lingerMs: LINGER_MS });
    const listener = () => undefined;
    const first = hub.subscribe(NODE, "a", listener);
    const second = hub.subscribe(NODE, "a", listener);
    first.unsubscribe();
    await sleep(LINGER_MS * 2);

    expect(hub.subscribers().get("a")).toBe(1);
    expect(engine.live()).toHaveLength(1);

    second.unsubscribe();
    await until(() => engine.live().length === 0, LINGER_MS * 20);
  });

  it("passes each reading on as a point and keeps it for later subscribers", async () => {
    const engine = fakeEngine();
    const hub = new LiveStatsHub({ log: logger(), open: engine.open, lingerMs: LINGER_MS });
    const seen: number[] = [];
    const first = hub.subscribe(NODE, "a", (point) => seen.push(point.cpuPercent));
    await until(() => engine.opened.length === 1);
    engine.opened[0]?.body.write(readingLine(Date.now(), 1e10, 1e12));
    await until(() => seen.length === 1);

    // 0.5 s of CPU in 2 s of host time on 2 CPUs: half a core.
    expect(seen[0]).toBeCloseTo(50);
    expect(hub.latest("a")?.memoryBytes).toBe(4096);
    expect(hub.subscribe(NODE, "a", () => undefined).recent).toHaveLength(1);

    first.unsubscribe();
    hub.closeAll();
  });

  it("reconnects a failing stream without piling listeners on its signal", async () => {
    let attempts = 0;
    let signal: AbortSignal | undefined;
    const listenerCounts: number[] = [];
    const hub = new LiveStatsHub({
      log: logger(),
      lingerMs: LINGER_MS,
      retryMinMs: 1,
      retryMaxMs: 2,
      open: (_node, _id, s) => {
        attempts += 1;
        signal = s;
        listenerCounts.push(getEventListeners(s, "abort").length);

        return Promise.reject(new Error("engine said no"));
      },
    });
    const { unsubscribe } = hub.subscribe(NODE, "a", () => undefined);
    await until(() => attempts >= 30);
    unsubscribe();
    hub.closeAll();

    expect(Math.max(...listenerCounts)).toBeLessThanOrEqual(1);
    expect(signal?.aborted).toBe(true);
  });
});

describe("pause", () => {
  it("ends at once when its signal aborts and removes its listener", async () => {
    const abort = new AbortController();
    const started = Date.now();
    const waiting = pause(10_000, abort.signal);

    expect(getEventListeners(abort.signal, "abort")).toHaveLength(1);

    abort.abort();
    await waiting;

    expect(Date.now() - started).toBeLessThan(1000);
    expect(getEventListeners(abort.signal, "abort")).toHaveLength(0);

    await pause(5, new AbortController().signal);
  });
});
