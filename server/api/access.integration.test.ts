/**
 * Walks the whole router: every procedure refuses anonymous callers unless it is on the public
 * list, and no viewer can run any mutation. A procedure added later is checked the same way.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { callerFor, createPrincipal, openTestDb } from "@/server/test/harness";

import { appRouter } from "./root";
import type { TMeta } from "./trpc";

/** Reachable without signing in, on purpose. Adding to this list needs a reason. */
const PUBLIC = ["system.health", "user.setup", "user.setupStatus", "user.signIn", "user.signOut"];
/** Signed-in people acting on their own account only; viewers included. */
const SELF = ["user.changePassword"];

type TProcedureInfo = { path: string; type: string; access: TMeta["access"] | undefined };

function procedures(): TProcedureInfo[] {
  const record = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string; meta?: TMeta } }
  >;

  return Object.entries(record).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    access: procedure._def.meta?.access,
  }));
}

async function callerError(caller: object, path: string): Promise<unknown> {
  const target = path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  try {
    const result = await (target as (input: unknown) => Promise<unknown>)(undefined);
    // A subscription that starts must still be refused before yielding anything.
    if (result && typeof result === "object" && Symbol.asyncIterator in result) {
      await (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().next();
    }

    return undefined;
  } catch (error) {
    return error;
  }
}

let db: PrismaClient;

beforeAll(async () => {
  db = await openTestDb();
});

afterAll(async () => {
  await db.$disconnect();
});

describe("access control over the whole router", () => {
  it("finds the procedures and every one declares its access", () => {
    const all = procedures();

    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((procedure) => procedure.access === undefined)).toEqual([]);
    expect(
      all
        .filter((p) => p.access === "public")
        .map((p) => p.path)
        .sort(),
    ).toEqual(PUBLIC);
    expect(
      all
        .filter((p) => p.access === "self")
        .map((p) => p.path)
        .sort(),
    ).toEqual(SELF);
  });

  it("refuses anonymous callers everywhere but the public list", async () => {
    const anonymous = callerFor(db, null);
    for (const procedure of procedures()) {
      if (PUBLIC.includes(procedure.path)) {
        continue;
      }
      const error = await callerError(anonymous, procedure.path);

      expect(error, procedure.path).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, procedure.path).toBe("UNAUTHORIZED");
    }
  });

  it("refuses every mutation to viewers", async () => {
    const viewer = callerFor(db, await createPrincipal(db, "viewer"));
    const mutations = procedures().filter(
      (procedure) =>
        procedure.type === "mutation" &&
        procedure.access !== "public" &&
        procedure.access !== "self",
    );

    expect(mutations.length).toBeGreaterThan(10);
    for (const procedure of mutations) {
      const error = await callerError(viewer, procedure.path);

      expect((error as TRPCError).code, procedure.path).toBe("FORBIDDEN");
    }
  });

  it("keeps admin procedures from operators", async () => {
    const operator = callerFor(db, await createPrincipal(db, "operator"));
    const adminOnly = procedures().filter((procedure) => procedure.access === "admin");

    expect(adminOnly.length).toBeGreaterThan(3);
    for (const procedure of adminOnly) {
      const error = await callerError(operator, procedure.path);

      expect((error as TRPCError).code, procedure.path).toBe("FORBIDDEN");
    }
  });

  it("writes nothing when refusing", async () => {
    expect(await db.event.count()).toBe(0);
    expect(await db.node.count()).toBe(0);
  });
});
