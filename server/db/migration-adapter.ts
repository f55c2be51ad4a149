/**
 * The driver adapter that Prisma's JavaScript schema engine (migrate deploy, migrate dev,
 * db push, studio) uses. Only prisma.config.ts imports this; the application's runtime
 * client lives in ./client.ts.
 *
 * Two upstream bugs in @prisma/adapter-pg are worked around here, and only here:
 *
 * 1. The schema engine reads PostgreSQL's catalogue, whose columns use the internal types
 *    `name` (OID 19) and `"char"` (OID 18). adapter-pg 6.19.3 maps neither, so
 *    `migrate deploy` fails with "Column type 'name' could not be deserialized"
 *    (prisma/orm#27403) and `migrate dev` with "Column type 'char' ...". adapter-pg 7.10.1
 *    maps `name` but still not `"char"`. Both are plain strings on the wire, so the pool's
 *    clients here relabel those two columns as `text` before the adapter sees them. This
 *    keeps the adapter the same version as the CLI (6.19.3), whose byte encoding the 6.19
 *    engine expects.
 *    TODO(db): remove once adapter-pg maps OIDs 18 and 19 itself.
 *
 * 2. `connectToShadowDb()` (used by `migrate dev`) is broken in 6.19.3 and 7.10.1:
 *    - the shadow pool is `new Pool({ ...config, database })`, and pg lets the fields of a
 *      `connectionString` override `database`, so the "shadow" pool connects to the main
 *      database and the engine's shadow reset would wipe the development data;
 *    - its cleanup runs `DROP DATABASE` before ending the shadow pool, so the drop fails
 *      with "database is being accessed by other users" and shadow databases pile up.
 *    So the shadow database is made here with discrete pool fields, the shadow pool is
 *    closed before the drop, and the drop uses WITH (FORCE) (PostgreSQL 13+) in case the
 *    engine left a connection behind.
 *
 * A third bug: adapter-pg's `executeScript()`, which applies each migration.sql, splits
 * the script at every `;`, so any function or trigger body (`$$ ... ; ... $$`) or string
 * with a semicolon breaks. Here a script goes to the server whole, as one simple-protocol
 * query, like the native engine does; PostgreSQL then runs it as one implicit transaction.
 */
import { randomUUID } from "node:crypto";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { PrismaConfig } from "prisma/config";

import { parsePgUrl, type TParsedPgUrl } from "./pg-url";

type TJsEngineConfig = Extract<PrismaConfig, { engine: "js" }>;
/** The adapter factory type that the Prisma 6.19 CLI expects from prisma.config.ts. */
export type TMigrationAdapterFactory = Awaited<ReturnType<TJsEngineConfig["adapter"]>>;
type TMigrationAdapter = Awaited<ReturnType<TMigrationAdapterFactory["connect"]>>;

const SHADOW_DB_PREFIX = "prisma_migrate_shadow_db_";
const TEXT_OID = 25;
/** Catalogue-only types sent as text that adapter-pg cannot map: `"char"` and `name`. */
const CATALOG_TEXT_OIDS: ReadonlySet<number> = new Set([18, 19]);

/**
 * Builds the schema engine's adapter factory for `databaseUrl`.
 * Connections are opened lazily, so building it never touches the database.
 */
export function createMigrationAdapter(databaseUrl: string): TMigrationAdapterFactory {
  return new MigrationAdapterFactory(parsePgUrl(databaseUrl));
}

class MigrationAdapterFactory implements TMigrationAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName: string;

  constructor(private readonly target: TParsedPgUrl) {
    this.adapterName = this.factoryFor(target.pool.database).adapterName;
  }

  async connect(): Promise<TMigrationAdapter> {
    const adapter = await this.factoryFor(this.target.pool.database).connect();

    return sendScriptsWhole(adapter);
  }

  async connectToShadowDb(): Promise<TMigrationAdapter> {
    const admin = await this.connect();
    const database = `${SHADOW_DB_PREFIX}${randomUUID()}`;
    try {
      await admin.executeScript(`CREATE DATABASE "${database}"`);
    } catch (error) {
      await admin.dispose();
      throw error;
    }
    const shadow = sendScriptsWhole(await this.factoryFor(database).connect());
    const closeShadowPool = shadow.dispose.bind(shadow);
    // Order matters: the shadow pool must be gone before the drop, the admin pool after.
    shadow.dispose = async () => {
      try {
        await closeShadowPool();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await admin.dispose();
      }
    };

    return shadow;
  }

  private factoryFor(database: string | undefined): PrismaPg {
    const pool: pg.PoolConfig = {
      ...this.target.pool,
      database,
      Client: CatalogTextClient,
      // The CLI never disposes the adapter after `migrate deploy`; without this, idle
      // connections keep the process alive for pg's 10 s idle timeout after it is done.
      allowExitOnIdle: true,
    };
    const options = this.target.schema === undefined ? {} : { schema: this.target.schema };

    return new PrismaPg(pool, options);
  }
}

/** Replaces the splitting `executeScript()` (see the third bug above). */
function sendScriptsWhole(adapter: TMigrationAdapter): TMigrationAdapter {
  // No parameters means pg uses the simple query protocol, which accepts many statements;
  // executeRaw keeps the adapter's error conversion, which the engine needs for messages.
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };

  return adapter;
}

type TLooseQuery = (...args: unknown[]) => unknown;
type TCallback = (error: unknown, result: unknown) => void;

/** A pg client whose results label `name` and `"char"` columns as `text` (see bug 1). */
class CatalogTextClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as TLooseQuery;
    // pg.Pool calls the callback form, the adapter's transactions the promise form.
    this.query = ((...args: unknown[]) => retypedQuery(query, args)) as pg.Client["query"];
  }
}

function retypedQuery(query: TLooseQuery, args: unknown[]): unknown {
  const callbackAt = args.findIndex((arg) => typeof arg === "function");
  if (callbackAt >= 0) {
    const callback = args[callbackAt] as TCallback;
    const wrapped: TCallback = (error, result) => {
      callback(error, error ? result : relabelCatalogText(result));
    };

    return query(...args.slice(0, callbackAt), wrapped, ...args.slice(callbackAt + 1));
  }
  const returned = query(...args);

  return returned instanceof Promise ? returned.then(relabelCatalogText) : returned;
}

/** Accepts one pg result or the array a multi-statement query returns; mutates in place. */
function relabelCatalogText(result: unknown): unknown {
  const results = Array.isArray(result) ? (result as unknown[]) : [result];
  for (const one of results) {
    for (const field of (one as Partial<pg.QueryResult>).fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) {
        field.dataTypeID = TEXT_OID;
      }
    }
  }

  return result;
}
