import path from "node:path";

import { z } from "zod";

import { parsePortRange } from "@/server/gateway/port-range";

/** Roles one process can run; `npm start` runs all of them in one supervisor. */
export const ROLES = ["web", "controller", "gateway"] as const;
export type TRole = (typeof ROLES)[number];

const ZBoolean = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => ["true", "1", "yes"].includes(value));

const ZPositiveMs = (fallback: number) => z.coerce.number().int().min(50).default(fallback);

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL, or unset for the embedded database")
    .optional(),
  BERTH_DATA_DIR: z.string().min(1).default("./data"),
  BERTH_HOST: z.string().min(1).default("127.0.0.1"),
  BERTH_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BERTH_ROLES: z
    .string()
    .default("web,controller,gateway")
    .transform((value) => value.split(",").map((role) => role.trim()))
    .pipe(z.array(z.enum(ROLES)).min(1, "name at least one of web, controller, gateway")),
  BERTH_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes in base64 (openssl rand -base64 32)")
    .optional(),
  BERTH_HEARTBEAT_INTERVAL_MS: ZPositiveMs(1000),
  BERTH_NODE_TIMEOUT_MS: ZPositiveMs(3000),
  BERTH_FAILOVER_AFTER_MS: ZPositiveMs(30_000),
  BERTH_SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  BERTH_LOCAL_DOCKER_SOCKET: z.string().default("/var/run/docker.sock"),
  BERTH_AUTO_ADD_LOCAL: ZBoolean.default(true),
  BERTH_PULL_IMAGES: ZBoolean.default(true),
  BERTH_DEV: ZBoolean.default(false),
  /** Days stats history is kept (as 60 s points after the first day). */
  BERTH_STATS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** Where the gateway's per-app listeners bind. */
  BERTH_GATEWAY_ADDRESS: z
    .union([z.ipv4(), z.ipv6()], { error: "must be an IP address" })
    .default("127.0.0.1"),
  /** Service ports are allocated from this range ("20000-20999"). */
  BERTH_GATEWAY_PORTS: z
    .string()
    .default("20000-20999")
    .transform((text, ctx) => {
      const range = parsePortRange(text);
      if (!range) {
        ctx.addIssue({ code: "custom", message: "must be a port range like 20000-20999" });

        return z.NEVER;
      }

      return range;
    }),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});

export type TEnv = z.infer<typeof ZEnv>;

/** Thrown at start-up when the environment is wrong; the message names every bad variable. */
export class EnvError extends Error {
  override name = "EnvError";
}

/** Checks the environment; the message lists each wrong variable, what was wrong and the fix. */
export function parseEnv(source: Record<string, string | undefined> = process.env): TEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = ZEnv.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      const got = name in cleaned ? ` (got ${JSON.stringify(cleaned[name])})` : "";

      return `  ${name}: ${issue.message}${got}`;
    });
    throw new EnvError(`invalid environment:\n${lines.join("\n")}`);
  }

  return { ...result.data, BERTH_DATA_DIR: path.resolve(result.data.BERTH_DATA_DIR) };
}

let cached: TEnv | undefined;

/** The checked environment of this process, parsed once. */
export function env(): TEnv {
  cached ??= parseEnv();

  return cached;
}
