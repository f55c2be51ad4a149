import { describe, expect, it } from "vitest";

import { checkNewUser } from "./user-rules";

describe("checkNewUser", () => {
  it("passes a valid name and a long enough password", () => {
    expect(checkNewUser({ username: "jane-doe", password: "a long password" })).toEqual({});
  });

  it("names both fields when both are wrong", () => {
    const errors = checkNewUser({ username: "Jane Doe", password: "short" });

    expect(errors.username?.[0]).toMatch(/lowercase letters, digits and '-'/);
    expect(errors.password).toEqual(["must be at least 10 characters"]);
  });

  it("accepts a name with surrounding spaces, as the server trims it", () => {
    expect(checkNewUser({ username: "  admin ", password: "a long password" })).toEqual({});
  });
});
