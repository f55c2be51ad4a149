/**
 * Search over stored log lines: by app or replica, text (case-insensitive, taken literally)
 * or a regular expression (PostgreSQL's ~*), time range and stream, newest first, in pages.
 */
import { z } from "zod";

import { Prisma, type PrismaClient } from "@/server/db/generated/client";
import { BerthError } from "@/server/errors";

import { LOG_STREAMS, type TLogLine } from "./schema";

export const MAX_SEARCH_LIMIT = 1000;
export const DEFAULT_SEARCH_LIMIT = 200;
/** A search that scans too much is stopped rather than left to load the database. */
const SEARCH_TIMEOUT_MS = 10_000;

/** Why a pattern is not a regular expression; undefined when it is one. */
export function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, "i");

    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

const ZSearchFields = z.object({
  appId: z.uuid("must be an app id"),
  replicaId: z.uuid("must be a replica id").optional(),
  text: z.string().max(500, "must be at most 500 characters").optional(),
  isRegex: z.boolean().default(false),
  from: z.date("must be a time").optional(),
  to: z.date("must be a time").optional(),
  stream: z.enum(LOG_STREAMS, "must be stdout or stderr").optional(),
});

function refineSearch(input: z.infer<typeof ZSearchFields>, ctx: z.RefinementCtx) {
  if (input.isRegex && input.text) {
    const problem = regexProblem(input.text);
    if (problem) {
      ctx.addIssue({
        code: "custom",
        path: ["text"],
        message: `is not a valid regular expression: ${problem}`,
      });
    }
  }
  if (input.from && input.to && input.from > input.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  }
}

/** The filter of a search, shared by the search procedure and the download. */
export const ZLogFilter = ZSearchFields.superRefine(refineSearch);

export const ZLogSearch = ZSearchFields.extend({
  limit: z
    .number()
    .int()
    .min(1, "must be at least 1")
    .max(MAX_SEARCH_LIMIT, `must be at most ${MAX_SEARCH_LIMIT}`)
    .default(DEFAULT_SEARCH_LIMIT),
  /** From a previous page's nextCursor. */
  cursor: z
    .string()
    .regex(/^\d{1,15}\.\d{1,19}$/, "must be the cursor of a previous page")
    .optional(),
}).superRefine(refineSearch);

export type TLogFilter = z.infer<typeof ZLogFilter>;
export type TLogSearch = z.infer<typeof ZLogSearch>;

export type TSearchPage = { lines: TLogLine[]; nextCursor: string | null };

/** LIKE treats %, _ and the escape character as special: search for them literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function utc(at: Date): Prisma.Sql {
  return Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

function conditionsOf(filter: TLogFilter): Prisma.Sql[] {
  const conditions = [Prisma.sql`"appId" = ${filter.appId}::uuid`];
  if (filter.replicaId) {
    conditions.push(Prisma.sql`"replicaId" = ${filter.replicaId}::uuid`);
  }
  if (filter.text) {
    conditions.push(
      filter.isRegex
        ? Prisma.sql`line ~* ${filter.text}`
        : Prisma.sql`line ILIKE ${`%${escapeLike(filter.text)}%`}`,
    );
  }
  if (filter.from) {
    conditions.push(Prisma.sql`at >= ${utc(filter.from)}`);
  }
  if (filter.to) {
    conditions.push(Prisma.sql`at <= ${utc(filter.to)}`);
  }
  if (filter.stream) {
    conditions.push(Prisma.sql`stream = ${filter.stream}::"LogStream"`);
  }

  return conditions;
}

type TLineRow = {
  id: bigint;
  at: Date;
  appId: string;
  replicaId: string;
  slot: number;
  nodeName: string;
  stream: TLogLine["stream"];
  line: string;
};

function toLine(row: TLineRow): TLogLine {
  return {
    key: `db:${row.id}`,
    at: row.at,
    appId: row.appId,
    replicaId: row.replicaId,
    slot: row.slot,
    nodeName: row.nodeName,
    stream: row.stream,
    line: row.line,
  };
}

function cursorOf(row: TLineRow): string {
  return `${row.at.getTime()}.${row.id}`;
}

/** PostgreSQL's regex dialect differs a little from JavaScript's: its refusal names the field. */
function describeSearchError(error: unknown): unknown {
  const text = String((error as Error).message ?? error);
  if (/invalid regular expression/i.test(text)) {
    return new BerthError(
      "INVALID_INPUT",
      "The database refused this regular expression. Simplify it, or search for text.",
      { field: "text", cause: error },
    );
  }
  if (/statement timeout/i.test(text)) {
    return new BerthError(
      "INVALID_INPUT",
      "This search took too long. Narrow the time range or pick a replica.",
      { field: "from", cause: error },
    );
  }

  return error;
}

/**
 * One page of matching lines: newest first ("desc", for the search view) or oldest first
 * ("asc", for downloads), after the cursor of the previous page.
 */
export async function searchLogs(
  db: PrismaClient,
  filter: TLogFilter,
  page: { limit: number; cursor?: string; order?: "asc" | "desc" },
): Promise<TSearchPage> {
  const isAscending = page.order === "asc";
  const conditions = conditionsOf(filter);
  if (page.cursor) {
    const [ms = "0", id = "0"] = page.cursor.split(".");
    const after = Prisma.sql`(at, id) ${isAscending ? Prisma.sql`>` : Prisma.sql`<`} (${utc(
      new Date(Number(ms)),
    )}, ${BigInt(id)})`;
    conditions.push(after);
  }
  const direction = isAscending ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  try {
    const rows = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${SEARCH_TIMEOUT_MS}`);

      return tx.$queryRaw<TLineRow[]>`
        SELECT id, at, "appId"::text AS "appId", "replicaId"::text AS "replicaId", slot,
          "nodeName", stream::text AS stream, line
        FROM "LogLine"
        WHERE ${Prisma.join(conditions, " AND ")}
        ORDER BY at ${direction}, id ${direction}
        LIMIT ${page.limit + 1}`;
    });
    const lines = rows.slice(0, page.limit);
    const last = lines.at(-1);

    return {
      lines: lines.map(toLine),
      nextCursor: rows.length > page.limit && last ? cursorOf(last) : null,
    };
  } catch (error) {
    throw describeSearchError(error);
  }
}
