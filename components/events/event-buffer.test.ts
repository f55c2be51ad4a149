import { describe, expect, it } from "vitest";

import {
  EVENT_BUFFER_CAP,
  compareEventIds,
  eventMatchesFilter,
  prependEvent,
} from "./event-buffer";

type TEvent = { id: string; kind: string; severity: string; nodeId: string | null };

const event = (id: number | string, patch: Partial<TEvent> = {}): TEvent => ({
  id: String(id),
  kind: "node.cordoned",
  severity: "info",
  nodeId: "n1",
  ...patch,
});

describe("compareEventIds", () => {
  it("compares big decimal ids numerically", () => {
    expect(compareEventIds("9", "10")).toBeLessThan(0);
    expect(compareEventIds("9223372036854775807", "9223372036854775806")).toBeGreaterThan(0);
    expect(compareEventIds("42", "42")).toBe(0);
  });
});

describe("prependEvent", () => {
  it("puts a new event on top", () => {
    const merged = prependEvent([event(2), event(1)], event(3));
    expect(merged?.map((item) => item.id)).toEqual(["3", "2", "1"]);
  });

  it("ignores an event it already has", () => {
    const merged = prependEvent([event(2), event(1)], event(2));
    expect(merged?.map((item) => item.id)).toEqual(["2", "1"]);
  });

  it("keeps id order when an event arrives late", () => {
    const merged = prependEvent([event(10), event(8)], event(9));
    expect(merged?.map((item) => item.id)).toEqual(["10", "9", "8"]);
  });

  it("caps the buffer, dropping the oldest", () => {
    let list: TEvent[] | undefined = [];
    for (let id = 1; id <= EVENT_BUFFER_CAP + 20; id += 1) {
      list = prependEvent(list, event(id));
    }
    expect(list).toHaveLength(EVENT_BUFFER_CAP);
    expect(list?.[0]?.id).toBe(String(EVENT_BUFFER_CAP + 20));
    expect(list?.at(-1)?.id).toBe("21");
  });

  it("honours a smaller cap and leaves unloaded lists alone", () => {
    expect(prependEvent([event(1)], event(2), 1)?.map((item) => item.id)).toEqual(["2"]);
    expect(prependEvent(undefined, event(1))).toBeUndefined();
  });

  it("does not mutate its input", () => {
    const list = [event(1)];
    prependEvent(list, event(2));
    expect(list.map((item) => item.id)).toEqual(["1"]);
  });
});

describe("eventMatchesFilter", () => {
  it("matches by node, severity and kind prefix", () => {
    const cordoned = event(1);
    expect(eventMatchesFilter(cordoned, {})).toBe(true);
    expect(eventMatchesFilter(cordoned, { nodeId: "n1", kindPrefix: "node." })).toBe(true);
    expect(eventMatchesFilter(cordoned, { nodeId: "n2" })).toBe(false);
    expect(eventMatchesFilter(cordoned, { kindPrefix: "user." })).toBe(false);
    expect(eventMatchesFilter(cordoned, { severity: "error" })).toBe(false);
  });

  it("keeps an app's list to that app's events", () => {
    const scaled = { ...event(1, { kind: "app.scaled" }), appId: "a1" };
    expect(eventMatchesFilter(scaled, { appId: "a1" })).toBe(true);
    expect(eventMatchesFilter(scaled, { appId: "a2" })).toBe(false);
    expect(eventMatchesFilter(event(2), { appId: "a1" })).toBe(false);
  });

  it("never adds live events to pages of older history", () => {
    expect(eventMatchesFilter(event(1), { beforeId: "100" })).toBe(false);
  });

  it("does not match node events for events without a node", () => {
    expect(eventMatchesFilter(event(1, { nodeId: null }), { nodeId: "n1" })).toBe(false);
  });
});
