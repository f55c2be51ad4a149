import { describe, expect, it } from "vitest";

import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills defaults for an empty environment", () => {
    const env = parseEnv({});

    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.BERTH_PORT).toBe(3000);
    expect(env.BERTH_ROLES).toEqual(["web", "controller"]);
    expect(env.BERTH_HEARTBEAT_INTERVAL_MS).toBe(1000);
    expect(env.BERTH_NODE_TIMEOUT_MS).toBe(3000);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names every wrong variable with what was wrong and what it got", () => {
    const attempt = () =>
      parseEnv({
        DATABASE_URL: "mysql://x",
        BERTH_PORT: "http",
        BERTH_ROLES: "web,scheduler",
        BERTH_SECRET_KEY: "short",
      });

    expect(attempt).toThrow(EnvError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }

      return "";
    })();

    expect(message).toContain("DATABASE_URL: must be a postgresql:// URL");
    expect(message).toContain('(got "mysql://x")');
    expect(message).toContain("BERTH_PORT");
    expect(message).toContain("BERTH_ROLES");
    expect(message).toContain("BERTH_SECRET_KEY: must be 32 bytes in base64");
  });

  it("parses roles and booleans", () => {
    const env = parseEnv({ BERTH_ROLES: " controller ", BERTH_AUTO_ADD_LOCAL: "no" });

    expect(env.BERTH_ROLES).toEqual(["controller"]);
    expect(env.BERTH_AUTO_ADD_LOCAL).toBe(false);
  });
});
