import { describe, expect, it } from "vitest";

import { safeReturnPath } from "./login-redirect";

describe("safeReturnPath", () => {
  it("keeps same-origin paths", () => {
    expect(safeReturnPath("/nodes/abc")).toBe("/nodes/abc");
    expect(safeReturnPath("/events?severity=error")).toBe("/events?severity=error");
  });

  it("refuses other origins and loops", () => {
    expect(safeReturnPath("//evil.example/x")).toBe("/");
    expect(safeReturnPath("/\\evil.example")).toBe("/");
    expect(safeReturnPath("https://evil.example")).toBe("/");
    expect(safeReturnPath("/login")).toBe("/");
    expect(safeReturnPath(null)).toBe("/");
  });
});
