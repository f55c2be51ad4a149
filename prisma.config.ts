// Prisma CLI configuration. Prisma 6.19 runs fully offline only with its JavaScript/WASM
// engines: `engine: "js"` makes migrate/db/studio drive the database through a Node driver
// adapter instead of downloading the native schema engine. See docs/database.md.
import { defineConfig } from "prisma/config";

import { createMigrationAdapter } from "./server/db/migration-adapter";

// Never used to connect: it only satisfies `env("DATABASE_URL")` in schema.prisma.
const PLACEHOLDER_URL = "postgresql://unset@127.0.0.1:1/unset";

// Read before the placeholder below is set, so migrate commands still fail clearly.
const databaseUrl = process.env.DATABASE_URL;

// Prisma 6 resolves the schema's `env("DATABASE_URL")` in every command, including
// `generate`, and when that fails it falls back to downloading the native query engine,
// which is impossible offline. Generation needs no database, so a placeholder is enough.
if (databaseUrl === undefined || databaseUrl === "") {
  process.env.DATABASE_URL = PLACEHOLDER_URL;
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  engine: "js",
  experimental: { adapter: true },
  // Called only by commands that need a database, so `prisma generate` works without one.
  adapter: () => Promise.resolve(createMigrationAdapter(requireDatabaseUrl())),
});

function requireDatabaseUrl(): string {
  if (databaseUrl === undefined || databaseUrl === "") {
    throw new Error(
      "DATABASE_URL is not set. Prisma does not read .env when prisma.config.ts exists; " +
        "export it, e.g. DATABASE_URL=postgresql://berth:berth@127.0.0.1:5432/berth_test",
    );
  }

  return databaseUrl;
}
