import { describe, expect, it } from "vitest";

import { parsePgUrl, redactPgUrl } from "./pg-url";

describe("parsePgUrl", () => {
  it("splits a plain URL into discrete pool fields", () => {
    const { pool, schema } = parsePgUrl("postgresql://berth:berth@127.0.0.1:5432/berth_test");

    expect(pool).toEqual({
      host: "127.0.0.1",
      port: 5432,
      user: "berth",
      password: "berth",
      database: "berth_test",
      ssl: false,
    });
    expect(schema).toBeUndefined();
  });

  it("decodes escaped credentials and defaults the port", () => {
    const { pool } = parsePgUrl("postgres://a%40b:p%2Fw%3Ad@db.example/my%20db");

    expect(pool).toMatchObject({ user: "a@b", password: "p/w:d", port: 5432, database: "my db" });
  });

  it("takes a unix socket directory from ?host= and IPv6 hosts without brackets", () => {
    expect(parsePgUrl("postgresql:///db?host=/var/run/postgresql").pool.host).toBe(
      "/var/run/postgresql",
    );
    expect(parsePgUrl("postgresql://u@[::1]:6543/db").pool).toMatchObject({
      host: "::1",
      port: 6543,
    });
  });

  it("maps connection_limit, connect_timeout, sslmode and application_name", () => {
    const url =
      "postgresql://u:p@h/db?connection_limit=1&connect_timeout=5&sslmode=require" +
      "&application_name=berth";

    expect(parsePgUrl(url).pool).toMatchObject({
      max: 1,
      connectionTimeoutMillis: 5000,
      ssl: { rejectUnauthorized: false },
      application_name: "berth",
    });
    expect(parsePgUrl("postgresql://u@h/db?sslmode=verify-full").pool.ssl).toBe(true);
  });

  it("sets search_path from ?schema=, quoted and escaped for the startup packet", () => {
    const { pool, schema } = parsePgUrl('postgresql://u@h/db?schema=My%20"S"');

    expect(schema).toBe('My "S"');
    expect(pool.options).toBe('-c search_path="My\\ ""S"""');
  });

  it("rejects other protocols and bad numbers", () => {
    expect(() => parsePgUrl("mysql://u@h/db")).toThrow(/postgres/);
    expect(() => parsePgUrl("postgresql://u@h/db?connection_limit=0")).toThrow(/connection_limit/);
  });
});

describe("redactPgUrl", () => {
  it("masks the password and survives garbage", () => {
    expect(redactPgUrl("postgresql://berth:secret@h:5432/db")).toBe(
      "postgresql://berth:***@h:5432/db",
    );
    expect(redactPgUrl("not a url")).toBe("<unparseable database URL>");
  });
});
