import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient } from "./client";
import { startEmbeddedDatabase, type TEmbeddedDatabase } from "./embedded";
import { applyMigrations } from "./migrate";

// Above 2^53, so a lossy number conversion anywhere would show.
const MEMORY_BYTES = 9_007_199_254_740_993n;
const TEST_TIMEOUT_MS = 180_000;

describe("embedded PGlite database", () => {
  let tempDir: string;
  const running: TEmbeddedDatabase[] = [];

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), "berth-pglite-"));
  });

  afterAll(async () => {
    await Promise.all(running.map((db) => db.stop()));
    await rm(tempDir, { recursive: true, force: true });
  });

  async function start(): Promise<TEmbeddedDatabase> {
    const db = await startEmbeddedDatabase({ dataDir: join(tempDir, "pglite") });
    running.push(db);

    return db;
  }

  it(
    "migrates, keeps rows across a restart on the same data directory",
    async () => {
      const first = await start();
      expect(first.url).toMatch(/^postgresql:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres\?/);
      await applyMigrations(first.url);
      const writer = createPrismaClient(first.url);
      const node = await writer.node.create({ data: nodeData() });
      const event = await writer.event.create({
        data: { kind: "node.added", message: "added", actorType: "system", nodeId: node.id },
      });
      await writer.$disconnect();
      await first.stop();

      const second = await start();
      // Applying again on the same data is a no-op, not an error.
      await applyMigrations(second.url);
      const reader = createPrismaClient(second.url);
      const found = await reader.node.findUniqueOrThrow({ where: { name: "embedded-1" } });
      const foundEvent = await reader.event.findUniqueOrThrow({ where: { id: event.id } });
      await reader.$disconnect();
      await second.stop();

      expect(found.id).toBe(node.id);
      expect(found.memoryBytes).toBe(MEMORY_BYTES);
      expect(typeof foundEvent.id).toBe("bigint");
      expect(foundEvent.nodeId).toBe(node.id);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "refuses a second concurrent connection instead of queueing it",
    async () => {
      const db = await start();
      const first = new pg.Client({ connectionString: db.url });
      const second = new pg.Client({ connectionString: db.url, connectionTimeoutMillis: 5_000 });
      second.on("error", () => undefined);
      await first.connect();
      try {
        await expect(second.connect()).rejects.toThrow(/terminated|ECONNRESET/);
        const { rows } = await first.query<{ one: number }>("SELECT 1 AS one");
        expect(rows[0]?.one).toBe(1);
      } finally {
        await first.end();
        await db.stop();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "rejects hosts that are not loopback addresses",
    async () => {
      await expect(
        startEmbeddedDatabase({ dataDir: join(tempDir, "never"), host: "0.0.0.0" }),
      ).rejects.toThrow(/loopback/);
    },
    TEST_TIMEOUT_MS,
  );
});

function nodeData() {
  return {
    name: "embedded-1",
    transport: "tcp" as const,
    endpoint: "127.0.0.2:2375",
    advertiseAddress: "127.0.0.2",
    cpus: 2,
    memoryBytes: MEMORY_BYTES,
    engineVersion: "20.10.24",
    apiVersion: "1.41",
    os: "linux",
    arch: "x86_64",
    kernelVersion: "6.1.0",
    engineName: "lab-1",
    engineId: "ABCD:EFGH",
  };
}
