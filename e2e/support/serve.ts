/**
 * Starts Berth for the browser tests on a fresh PostgreSQL database (berth_e2e, made anew on
 * the server that DATABASE_URL names) with a fresh data directory.
 */
import { rm } from "node:fs/promises";

import pg from "pg";

const E2E_DATABASE = "berth_e2e";
const E2E_DATA_DIR = "/tmp/berth-e2e-data";

const base = process.env.DATABASE_URL ?? "postgresql://berth:berth@127.0.0.1:5432/berth_test";
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${E2E_DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${E2E_DATABASE}`);
await admin.end();
await rm(E2E_DATA_DIR, { recursive: true, force: true });

const url = new URL(base);
url.pathname = `/${E2E_DATABASE}`;
process.env.DATABASE_URL = url.toString();
process.env.BERTH_DATA_DIR = E2E_DATA_DIR;
process.env.BERTH_AUTO_ADD_LOCAL = "false";
// The lab's images are local; a pull would only try to reach a registry off this machine.
process.env.BERTH_PULL_IMAGES = "false";
process.env.BERTH_HOST = "127.0.0.1";

await import("../../server/main");
