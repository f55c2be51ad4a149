/**
 * The log hub's reference counting on a fake engine: one follow stream per container however
 * many viewers, its connection destroyed a linger after the last viewer leaves, kept when a
 * viewer returns in time; a new viewer starts from the stream's recent lines.
 */
import { PassThrough } from "node:stream";

import { describe, expect, it } from "vitest";

import type { Node } from "@/server/db/generated/client";
import type { TLogStreamOptions } from "@/server/docker/engine";
import { logger } from "@/server/logger";

import { LiveLogHub, type TLiveSource, type TLogStreamOpener } from "./live-hub";
import type { TLogLine } from "./schema";

const NODE = { id: "n1", name: "lab-1", endpoint: "tcp://127.0.0.2:2375" } as Node;
const LINGER_MS = 60;

function sourceOf(containerId: string, slot = 0): TLiveSource {
  return { containerId, appId: "app", replicaId: `r-${containerId}`, slot, node: NODE };
}

function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(payload.length, 4);

  return Buffer.concat([header, payload]);
}

type TOpened = { containerId: string; body: PassThrough; options: TLogStreamOptions };

function fakeEngine() {
  const opened: TOpened[] = [];
  const open: TLogStreamOpener = (source, options) => {
    const body = new PassThrough();
    opened.push({ containerId: source.containerId, body, options });

    return Promise.resolve(body);
  };

  return { opened, open, live: () => opened.filter((o) => !o.body.destroyed) };
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

const noop = () => undefined;

describe("LiveLogHub", () => {
  it("opens one stream per container for many viewers, destroyed after the linger", async () => {
    const engine = fakeEngine();
    const hub = new LiveLogHub({ open: engine.open, lingerMs: LINGER_MS, log: logger() });
    const attachments = await Promise.all([
      hub.attach(sourceOf("a"), noop),
      hub.attach(sourceOf("a"), noop),
      hub.attach(sourceOf("a"), noop),
      hub.attach(sourceOf("b"), noop),
      hub.attach(sourceOf("b"), noop),
    ]);

    expect(engine.opened.map((o) => o.containerId).sort()).toEqual(["a", "b"]);
    expect(hub.streams().sort((x, y) => x.containerId.localeCompare(y.containerId))).toEqual([
      { containerId: "a", viewers: 3 },
      { containerId: "b", viewers: 2 },
    ]);

    for (const attachment of attachments) {
      attachment.detach();
    }

    expect(engine.live()).toHaveLength(2);

    await until(() => hub.streams().length === 0 && engine.live().length === 0, LINGER_MS * 20);

    expect(engine.opened.every((o) => o.options.signal?.aborted)).toBe(true);
  });

  it("keeps the stream for a viewer who comes back within the linger", async () => {
    const engine = fakeEngine();
    const hub = new LiveLogHub({ open: engine.open, lingerMs: LINGER_MS, log: logger() });
    (await hub.attach(sourceOf("a"), noop)).detach();
    await new Promise((resolve) => setTimeout(resolve, LINGER_MS / 3));
    const again = await hub.attach(sourceOf("a"), noop);
    await new Promise((resolve) => setTimeout(resolve, LINGER_MS * 2));

    expect(engine.opened).toHaveLength(1);
    expect(engine.live()).toHaveLength(1);

    again.detach();
    await until(() => engine.live().length === 0, LINGER_MS * 20);
  });

  it("gives live lines to viewers and the recent ones to a viewer who joins later", async () => {
    const engine = fakeEngine();
    const hub = new LiveLogHub({ open: engine.open, lingerMs: LINGER_MS, log: logger() });
    const seen: TLogLine[][] = [];
    const first = await hub.attach(sourceOf("a", 2), (lines) => seen.push(lines));
    engine.opened[0]?.body.write(frame("2026-12-03T19:00:00.123456789Z hello\n"));
    await until(() => seen.length === 1);

    expect(seen[0]?.map((l) => [l.line, l.slot, l.nodeName, l.stream])).toEqual([
      ["hello", 2, "lab-1", "stdout"],
    ]);
    expect(engine.opened[0]?.options).toMatchObject({ isFollow: true, tail: 500 });

    const later = await hub.attach(sourceOf("a", 2), noop);

    expect(later.recent.map((l) => l.line)).toEqual(["hello"]);
    expect(engine.opened).toHaveLength(1);

    first.detach();
    later.detach();
    await until(() => engine.live().length === 0, LINGER_MS * 20);
  });
});
