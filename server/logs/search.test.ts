import { describe, expect, it } from "vitest";

import { filterOfQuery, formatLine } from "./download";
import { ZLogSearch, escapeLike, regexProblem } from "./search";

const APP_ID = "3f0c2a8e-6a3b-4b8e-9a4d-1b2c3d4e5f60";

function issuesOf(input: unknown) {
  const result = ZLogSearch.safeParse(input);

  return result.success
    ? {}
    : Object.fromEntries(result.error.issues.map((i) => [i.path.join("."), i.message]));
}

describe("log search input", () => {
  it("accepts a text search with defaults", () => {
    const parsed = ZLogSearch.parse({ appId: APP_ID, text: "50%_done" });

    expect(parsed).toMatchObject({ isRegex: false, limit: 200 });
  });

  it("names the field of a bad regular expression", () => {
    expect(issuesOf({ appId: APP_ID, text: "a(b", isRegex: true })).toEqual({
      text: expect.stringMatching(/^is not a valid regular expression/) as unknown,
    });
    // The same text is fine as plain text.
    expect(issuesOf({ appId: APP_ID, text: "a(b" })).toEqual({});
  });

  it("refuses a reversed time range, a bad cursor and an oversized page", () => {
    expect(
      issuesOf({
        appId: APP_ID,
        from: new Date(2000),
        to: new Date(1000),
        cursor: "abc",
        limit: 5000,
      }),
    ).toEqual({
      to: "must not be before from",
      cursor: "must be the cursor of a previous page",
      limit: "must be at most 1000",
    });
    expect(issuesOf({ appId: "nope" })).toEqual({ appId: "must be an app id" });
  });

  it("escapes LIKE's special characters", () => {
    expect(escapeLike("50%_a\\b")).toBe("50\\%\\_a\\\\b");
  });

  it("says why a pattern is not a regular expression", () => {
    expect(regexProblem("ok.*")).toBeUndefined();
    expect(regexProblem("[")).toMatch(/class/i);
  });
});

describe("download query", () => {
  it("reads the search from the query string", () => {
    const params = new URLSearchParams({
      appId: APP_ID,
      q: "err",
      regex: "1",
      from: "2026-12-03T10:00:00Z",
      stream: "stderr",
    });
    const parsed = filterOfQuery(params);

    expect(parsed.success && parsed.data).toMatchObject({
      appId: APP_ID,
      text: "err",
      isRegex: true,
      from: new Date("2026-12-03T10:00:00Z"),
      stream: "stderr",
    });
  });

  it("refuses a bad time with the field named", () => {
    const parsed = filterOfQuery(new URLSearchParams({ appId: APP_ID, from: "yesterday" }));

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["from"]);
  });

  it("formats one line of the file", () => {
    const text = formatLine({
      key: "k",
      at: new Date("2026-12-03T10:00:00.5Z"),
      appId: APP_ID,
      replicaId: APP_ID,
      slot: 2,
      nodeName: "lab-1",
      stream: "stderr",
      line: "boom",
    });

    expect(text).toBe("2026-12-03T10:00:00.500Z r2@lab-1 stderr boom\n");
  });
});
