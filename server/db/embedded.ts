/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly, running in this
 * process) served over the PostgreSQL wire protocol on a loopback port, so Prisma's
 * client and `prisma migrate deploy` (a child process) use it like any PostgreSQL server.
 *
 * Facts about @electric-sql/pglite-socket 0.2.x that callers must respect:
 * - It serves ONE connection at a time. A second concurrent connection is not queued: it
 *   is closed at once, which pg reports as "Connection terminated unexpectedly" or
 *   ECONNRESET. A pool must therefore have max 1; the URL returned here says so with
 *   `connection_limit=1`, which ./pg-url.ts turns into the pool size. A new connection is
 *   accepted as soon as the previous one has closed.
 * - Its `maxConnections` option is left at 1 on purpose: all connections would share the
 *   single PGlite backend session (SET, prepared statements, transactions), and the
 *   server interleaves their protocol messages.
 * - There is no authentication: any user name and password are accepted. That is why
 *   only loopback hosts are allowed.
 * - A client that disconnects inside a transaction has it rolled back.
 * - One process per data directory: PGlite does not lock it against a second opener.
 */
import { mkdir } from "node:fs/promises";
import { isIP } from "node:net";

import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface TEmbeddedDatabaseOptions {
  /** Directory that holds the database files, e.g. ./data/pglite; created if missing. */
  dataDir: string;
  /** Loopback address to listen on. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  log?: (msg: string, fields?: object) => void;
}

export interface TEmbeddedDatabase {
  /** postgresql:// URL of the served database, with `connection_limit=1`. */
  url: string;
  /** Closes the socket server, then PGlite, which checkpoints and flushes to dataDir. */
  stop(): Promise<void>;
}

// PGlite has one role and one database; the password is never checked.
const PGLITE_USER = "postgres";
const PGLITE_DATABASE = "postgres";

/**
 * Opens (or on first use initialises, which takes a few seconds) the PGlite database in
 * `dataDir` and serves it on `host:port`. Await `stop()` before exit, or the next start
 * has to recover from an unclean shutdown.
 */
export async function startEmbeddedDatabase(
  options: TEmbeddedDatabaseOptions,
): Promise<TEmbeddedDatabase> {
  const { dataDir, host = "127.0.0.1", port = 0, log } = options;
  assertLoopback(host);
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host, port });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const actualPort = listeningPort(server);
  log?.("embedded database listening", { dataDir, host, port: actualPort });

  return { url: buildUrl(host, actualPort), stop: once(() => stopBoth(server, db, log)) };
}

async function stopBoth(
  server: PGLiteSocketServer,
  db: PGlite,
  log: TEmbeddedDatabaseOptions["log"],
): Promise<void> {
  // Server first, so no client can start a query while PGlite shuts down.
  try {
    await server.stop();
  } finally {
    await db.close();
  }
  log?.("embedded database stopped");
}

function assertLoopback(host: string): void {
  const isLoopback =
    host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
  if (!isLoopback) {
    throw new Error(
      `embedded database host must be a loopback address, got "${host}": ` +
        "the PGlite socket server accepts any password",
    );
  }
}

function listeningPort(server: PGLiteSocketServer): number {
  // getServerConn() is "host:port" once listening; the port is the real one when 0 was asked.
  const conn = server.getServerConn();
  const port = Number(conn.slice(conn.lastIndexOf(":") + 1));
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(`embedded database: unexpected server address "${conn}"`);
  }

  return port;
}

function buildUrl(host: string, port: number): string {
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  const auth = `${PGLITE_USER}:${PGLITE_USER}`;

  return `postgresql://${auth}@${hostPart}:${port}/${PGLITE_DATABASE}?connection_limit=1`;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;

  return () => {
    running ??= fn();

    return running;
  };
}
