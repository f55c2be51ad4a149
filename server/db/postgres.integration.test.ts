import { randomBytes } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TEST_DATABASE_URL } from "@/server/test/config";

import { createPrismaClient, type PrismaClient } from "./client";
import { Prisma } from "./generated/client";
import { applyMigrations } from "./migrate";

// Above 2^53, so a lossy number conversion anywhere would show.
const MEMORY_BYTES = 12_345_678_901_234_567n;
const TEST_TIMEOUT_MS = 120_000;

// A schema of its own, so this file neither sees nor disturbs the shared public schema.
const SCHEMA = `berth_db_test_${randomBytes(4).toString("hex")}`;

describe("PostgreSQL server (DATABASE_URL, see scripts/postgres.sh)", () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const url = withSchema(TEST_DATABASE_URL, SCHEMA);
  let db: PrismaClient | undefined;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${SCHEMA}"`);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await admin.end();
  });

  it(
    "applies the migrations into ?schema= and round-trips rows, BigInt included",
    async () => {
      await applyMigrations(url);
      db = createPrismaClient(url, { poolMax: 2 });
      const user = await db.user.create({
        data: { username: "ada", passwordHash: "x", role: "admin" },
      });
      const node = await db.node.create({ data: nodeData() });
      const event = await db.event.create({
        data: { kind: "node.added", message: "added", actorType: "user", nodeId: node.id },
      });

      const foundUser = await db.user.findUniqueOrThrow({ where: { username: "ada" } });
      const foundNode = await db.node.findUniqueOrThrow({ where: { id: node.id } });
      const foundEvent = await db.event.findUniqueOrThrow({ where: { id: event.id } });
      const tables = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1",
        [SCHEMA],
      );

      expect(foundUser).toMatchObject({ id: user.id, role: "admin" });
      expect(foundNode.memoryBytes).toBe(MEMORY_BYTES);
      expect(foundNode.labels).toEqual({ zone: "a" });
      expect(typeof foundEvent.id).toBe("bigint");
      expect(foundEvent.id).toBe(event.id);
      // Every model plus _prisma_migrations, all inside the test schema.
      expect(tables.rows[0]?.n).toBe(Object.keys(Prisma.ModelName).length + 1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "is a no-op to apply the same migrations twice",
    async () => {
      await applyMigrations(url);
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${SCHEMA}"."_prisma_migrations"
         WHERE finished_at IS NOT NULL`,
      );

      expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "throws with the tail of prisma's output when the server cannot be reached",
    async () => {
      const unreachable = "postgresql://berth:secret-pw@127.0.0.1:1/berth_test";

      const error = await applyMigrations(unreachable).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/Can't reach database server/);
      expect((error as Error).message).not.toContain("secret-pw");
    },
    TEST_TIMEOUT_MS,
  );
});

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("schema", schema);

  return parsed.toString();
}

function nodeData() {
  return {
    name: "pg-1",
    transport: "tls" as const,
    endpoint: "127.0.0.2:2376",
    advertiseAddress: "127.0.0.2",
    labels: { zone: "a" },
    cpus: 4,
    memoryBytes: MEMORY_BYTES,
    engineVersion: "20.10.24",
    apiVersion: "1.41",
    os: "linux",
    arch: "x86_64",
    kernelVersion: "6.1.0",
    engineName: "lab-1",
    engineId: "WXYZ:1234",
  };
}
