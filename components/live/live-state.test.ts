import { describe, expect, it } from "vitest";

import { liveStateOf } from "./live-state";

const base = { isBrowserOnline: true, hasConnected: false, isOverdue: false };

describe("liveStateOf", () => {
  it("is connected only when every stream is open", () => {
    expect(liveStateOf({ ...base, statuses: ["pending", "pending"] })).toBe("connected");
    expect(liveStateOf({ ...base, statuses: ["pending", "connecting"] })).toBe("connecting");
  });

  it("says reconnecting after a drop, then offline when it takes too long", () => {
    const dropped = { ...base, hasConnected: true, statuses: ["connecting", "pending"] as const };
    expect(liveStateOf(dropped)).toBe("reconnecting");
    expect(liveStateOf({ ...dropped, isOverdue: true })).toBe("offline");
  });

  it("is offline when the browser is, or a stream failed for good", () => {
    expect(liveStateOf({ ...base, isBrowserOnline: false, statuses: ["pending"] })).toBe("offline");
    expect(liveStateOf({ ...base, statuses: ["error", "pending"] })).toBe("offline");
  });
});
