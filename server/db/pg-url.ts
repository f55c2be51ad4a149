import type { PoolConfig } from "pg";

/** A postgres URL split into node-postgres pool fields plus Prisma's `schema` parameter. */
export interface TParsedPgUrl {
  pool: PoolConfig;
  /** Prisma's `?schema=` parameter; node-postgres itself has no such setting. */
  schema?: string;
}

const PG_PROTOCOLS = new Set(["postgres:", "postgresql:"]);
const DEFAULT_PORT = 5432;

/**
 * Turns a `postgresql://user:pass@host:port/db?...` URL into discrete pool fields.
 * Understood parameters: host (unix socket directory), sslmode, application_name,
 * connect_timeout (s), connection_limit (pool size, as in Prisma URLs) and schema.
 *
 * Why not hand pg the `connectionString`: pg lets every field parsed from a connection
 * string override the discrete fields beside it, so `{ connectionString, database }`
 * silently connects to the URL's database. Discrete fields can be overridden safely.
 */
export function parsePgUrl(url: string): TParsedPgUrl {
  const parsed = new URL(url);
  if (!PG_PROTOCOLS.has(parsed.protocol)) {
    throw new Error(`expected a postgres:// or postgresql:// URL, got "${parsed.protocol}"`);
  }
  const params = parsed.searchParams;
  const pool: PoolConfig = {
    host: params.get("host") ?? stripBrackets(decodeURIComponent(parsed.hostname)),
    port: parsed.port === "" ? DEFAULT_PORT : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")),
    ssl: sslFromMode(params.get("sslmode")),
  };
  applyOptionalParams(pool, params);
  const schema = params.get("schema") ?? undefined;
  if (schema === undefined) {
    return { pool };
  }
  // Unqualified SQL (migration scripts, raw queries) must land in the schema too, as with
  // Prisma's native engines, which set search_path from ?schema= as well.
  pool.options = `-c search_path=${startupOptionValue(quoteIdent(schema))}`;

  return { pool, schema };
}

/** The URL with its password masked, for error messages and logs. */
export function redactPgUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") {
      parsed.password = "***";
    }

    return parsed.toString();
  } catch {
    return "<unparseable database URL>";
  }
}

function applyOptionalParams(pool: PoolConfig, params: URLSearchParams): void {
  const applicationName = params.get("application_name");
  if (applicationName !== null) {
    pool.application_name = applicationName;
  }
  const connectTimeoutS = params.get("connect_timeout");
  if (connectTimeoutS !== null) {
    pool.connectionTimeoutMillis = positiveInt("connect_timeout", connectTimeoutS) * 1000;
  }
  // The embedded database needs 1 (see ./embedded.ts).
  const connectionLimit = params.get("connection_limit");
  if (connectionLimit !== null) {
    pool.max = positiveInt("connection_limit", connectionLimit);
  }
}

function positiveInt(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new Error(`database URL parameter ${name} must be a positive integer, got "${value}"`);
  }

  return parsed;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

// The server splits startup `options` at whitespace; a backslash escapes the next character.
function startupOptionValue(value: string): string {
  return value.replace(/[\\\s]/g, (char) => `\\${char}`);
}

function stripBrackets(host: string): string {
  // WHATWG URL keeps IPv6 hosts in brackets; sockets want the bare address.
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

// Like libpq, except that "prefer" and "allow" do not fall back between TLS and plain
// text, since pg cannot retry: they mean "no TLS", as does a missing sslmode.
function sslFromMode(mode: string | null): PoolConfig["ssl"] {
  switch (mode) {
    case "require":
    case "no-verify":
      return { rejectUnauthorized: false };
    case "verify-ca":
    case "verify-full":
      return true;
    default:
      return false;
  }
}
