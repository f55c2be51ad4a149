import { describe, expect, it } from "vitest";

import { checkComposeService } from "./check";
import { paths, web } from "./harness";

describe("health check and restart", () => {
  it("maps CMD to a command check, with durations in ms", () => {
    const service = web(`
image: a
ports: ["8080"]
healthcheck:
  test: ["CMD", "curl", "-f", "http://localhost:8080/"]
  interval: 1m30s
  timeout: 10s
  retries: 5
  start_period: 40s
`);

    expect(checkComposeService(service).spec?.healthCheck).toEqual({
      type: "command",
      command: ["curl", "-f", "http://localhost:8080/"],
      intervalMs: 90_000,
      timeoutMs: 10_000,
      retries: 5,
      startPeriodMs: 40_000,
    });
  });

  it("runs CMD-SHELL and the string form through /bin/sh -c", () => {
    const shell = web('image: a\nhealthcheck: { test: ["CMD-SHELL", "pg_isready || exit 1"] }');
    const plain = web("image: a\nhealthcheck: { test: pg_isready || exit 1 }");
    const expected = ["/bin/sh", "-c", "pg_isready || exit 1"];

    expect(shell.candidate.healthCheck).toMatchObject({ command: expected });
    expect(plain.candidate.healthCheck).toMatchObject({ command: expected });
    expect(shell.notes[0]?.reason).toMatch(/Berth's defaults/);
  });

  it("turns NONE and disable into no health check", () => {
    expect(web('image: a\nhealthcheck: { test: ["NONE"] }').candidate.healthCheck).toBeUndefined();
    expect(web("image: a\nhealthcheck: { disable: true }").candidate.healthCheck).toBeUndefined();
  });

  it("refuses a bad test or duration", () => {
    const service = web('image: a\nhealthcheck: { test: ["RUN", "x"], interval: soon }');

    expect(paths(service.errors)).toEqual([
      "services.web.healthcheck.test",
      "services.web.healthcheck.interval",
    ]);
  });

  it("lets the spec refuse a timeout longer than the interval", () => {
    const check = checkComposeService(
      web('image: a\nhealthcheck: { test: ["CMD", "true"], interval: 5s, timeout: 10s }'),
    );

    expect(check.fieldErrors?.["healthCheck.timeoutMs"]?.[0]).toMatch(/shorter than intervalMs/);
  });

  it.each([
    ["no", 0],
    ["always", 10],
    ["unless-stopped", 10],
    ["on-failure", 10],
    ['"on-failure:3"', 3],
  ])("maps restart: %s, with a note", (policy, maxRestarts) => {
    const service = web(`image: a\nrestart: ${policy}`);

    expect(checkComposeService(service).spec?.restart.maxRestarts).toBe(maxRestarts);
    expect(service.notes).toHaveLength(1);
  });

  it("refuses an unknown restart policy", () => {
    expect(web("image: a\nrestart: sometimes").errors[0]?.path).toBe("services.web.restart");
  });

  it("prefers deploy.restart_policy and says so", () => {
    const service = web(
      "image: a\nrestart: always\ndeploy: { restart_policy: { max_attempts: 4, delay: 5s } }",
    );

    expect(service.candidate.restart).toEqual({ maxRestarts: 4, backoffInitialMs: 5000 });
    expect(service.notes.map((note) => note.reason)).toContainEqual(
      expect.stringMatching(/restart is ignored/),
    );
  });
});
