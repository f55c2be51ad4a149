import { describe, expect, it } from "vitest";

import {
  MAX_FAILURES_PER_IP,
  MAX_FAILURES_PER_USERNAME,
  SIGN_IN_WINDOW_MS,
  decideSignIn,
} from "./rate-limit";

const now = new Date("2026-01-01T12:00:00Z");

describe("decideSignIn", () => {
  it("allows below both caps", () => {
    expect(decideSignIn({ byUsername: MAX_FAILURES_PER_USERNAME - 1, byIp: 0 }, now)).toEqual({
      allowed: true,
    });
  });

  it("refuses at the username cap until the oldest failure ages out", () => {
    const oldest = new Date(now.getTime() - 60_000);
    const decision = decideSignIn(
      { byUsername: MAX_FAILURES_PER_USERNAME, byIp: 1, oldestInWindow: oldest },
      now,
    );

    expect(decision).toEqual({ allowed: false, retryAfterMs: SIGN_IN_WINDOW_MS - 60_000 });
  });

  it("refuses at the address cap whatever the username", () => {
    expect(decideSignIn({ byUsername: 0, byIp: MAX_FAILURES_PER_IP }, now).allowed).toBe(false);
  });
});
