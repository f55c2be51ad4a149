import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient } from "./generated/client";
import { parsePgUrl } from "./pg-url";

export { PrismaClient };

export interface TCreatePrismaClientOptions {
  /**
   * Pool size; overrides the URL's `connection_limit`. Must be 1 for the embedded
   * database, whose URL already says so (see ./embedded.ts).
   */
  poolMax?: number;
}

/**
 * A Prisma client that talks to `url` through node-postgres (driver adapter, no native
 * engine). Connections open lazily; call `$disconnect()` to close the pool.
 */
export function createPrismaClient(
  url: string,
  options: TCreatePrismaClientOptions = {},
): PrismaClient {
  const { pool, schema } = parsePgUrl(url);
  if (options.poolMax !== undefined) {
    pool.max = options.poolMax;
  }
  const adapter = new PrismaPg(pool, schema === undefined ? undefined : { schema });

  return new PrismaClient({ adapter });
}

// Symbol.for, so every copy of this module (Next.js bundles server code more than once,
// and dev mode reloads it) finds the same client instead of opening another pool.
const DB_KEY: unique symbol = Symbol.for("berth.db");

type TDbGlobal = typeof globalThis & { [DB_KEY]?: PrismaClient };

/** Makes `client` the process-wide client returned by getDb(); replaces any previous one. */
export function setDb(client: PrismaClient): void {
  (globalThis as TDbGlobal)[DB_KEY] = client;
}

/**
 * The process-wide client set by setDb() at start-up.
 * @throws Error when start-up has not set one yet.
 */
export function getDb(): PrismaClient {
  const client = (globalThis as TDbGlobal)[DB_KEY];
  if (client === undefined) {
    throw new Error("database not initialised: call setDb(createPrismaClient(url)) at start-up");
  }

  return client;
}
