import { describe, expect, it } from "vitest";

import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("fills defaults for an empty environment", () => {
    const env = parseEnv({});

    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.BERTH_PORT).toBe(3000);
    expect(env.BERTH_ROLES).toEqual(["web", "controller", "gateway"]);
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

describe("gateway settings", () => {
  it("binds to loopback and allocates 20000-20999 by default", () => {
    const env = parseEnv({});

    expect(env.BERTH_GATEWAY_ADDRESS).toBe("127.0.0.1");
    expect(env.BERTH_GATEWAY_PORTS).toEqual({ min: 20000, max: 20999 });
  });

  it("refuses a malformed range or address, naming the variable", () => {
    const attempt = () =>
      parseEnv({ BERTH_GATEWAY_PORTS: "30000-2000", BERTH_GATEWAY_ADDRESS: "localhost" });

    expect(attempt).toThrow(/BERTH_GATEWAY_PORTS: must be a port range like 20000-20999/);
    expect(attempt).toThrow(/BERTH_GATEWAY_ADDRESS: must be an IP address/);
  });
});
