import { afterEach, describe, expect, it } from "vitest";

import { createPrismaClient, getDb, setDb } from "./client";

const DB_KEY = Symbol.for("berth.db");

type TStore = Record<symbol, unknown>;

describe("process-wide client", () => {
  afterEach(() => {
    delete (globalThis as unknown as TStore)[DB_KEY];
  });

  it("throws a clear error before setDb()", () => {
    expect(() => getDb()).toThrow(/database not initialised/);
  });

  it("returns the client set with setDb(), kept under Symbol.for('berth.db')", async () => {
    // Creating a client opens no connection, so no server is needed here.
    const client = createPrismaClient("postgresql://u:p@127.0.0.1:1/none", { poolMax: 1 });
    setDb(client);

    expect(getDb()).toBe(client);
    expect((globalThis as unknown as TStore)[DB_KEY]).toBe(client);
    await client.$disconnect();
  });
});
