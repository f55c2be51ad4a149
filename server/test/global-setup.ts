import pg from "pg";

import { applyMigrations } from "@/server/db/migrate";

import { TEST_DATABASE_URL } from "./config";

/** Starts the integration run on an empty, fully migrated database. */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach the test database at ${TEST_DATABASE_URL}: ${(error as Error).message}. ` +
        "Start it with: sudo bash scripts/postgres.sh",
    );
  }
  await client.query("DROP SCHEMA IF EXISTS public CASCADE");
  await client.query("CREATE SCHEMA public");
  await client.end();
  await applyMigrations(TEST_DATABASE_URL);
}
