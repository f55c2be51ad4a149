/**
 * Hostile and broken app specs sent over HTTP, as a script or a buggy form would: each is
 * refused with a field error, no stack trace, and nothing written.
 */
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";

import type { PrismaClient } from "@/server/db/generated/client";
import {
  type TTestApi,
  callerFor,
  createPrincipal,
  openTestDb,
  startTestApi,
} from "@/server/test/harness";

import { MIB_BYTES } from "./spec";

let db: PrismaClient;
let api: TTestApi;
let client: ReturnType<TTestApi["client"]>;
let operator: ReturnType<typeof callerFor>;

type TFailure = { code: string; message: string; fieldErrors: Record<string, string[]> };

async function createFailure(input: unknown): Promise<TFailure> {
  try {
    // Deliberately unchecked input: this is what a hostile or buggy client sends.
    await client.app.create.mutate(input as never);
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as {
        code: string;
        fieldErrors?: Record<string, string[]> | null;
        stack?: string;
      };

      expect(data.stack).toBeUndefined();
      expect(error.message).not.toMatch(/at .*\.ts:\d+/);

      return { code: data.code, message: error.message, fieldErrors: data.fieldErrors ?? {} };
    }
    throw error;
  }
  throw new Error("app.create accepted bad input");
}

async function expectNothingStored() {
  expect(await db.app.count()).toBe(0);
  expect(await db.revision.count()).toBe(0);
  expect(await db.event.count({ where: { kind: { startsWith: "app." } } })).toBe(0);
}

const BASE = { name: "web", image: "berth-demo/web:1" };

beforeAll(async () => {
  db = await openTestDb();
  api = await startTestApi(db);
  const principal = await createPrincipal(db, "operator");
  client = api.client({ cookie: await api.signInCookie(principal.name) });
  operator = callerFor(db, principal);
});

afterAll(async () => {
  await api.close();
  await db.$disconnect();
});

describe("creating an app with bad input over HTTP", () => {
  it("refuses negative replicas", async () => {
    const failure = await createFailure({ ...BASE, replicas: -1 });

    expect(failure.fieldErrors.replicas?.[0]).toMatch(/from 0 to 1000/);
    await expectNothingStored();
  });

  it("refuses 10^9 MiB of memory, naming the limit", async () => {
    const memoryRequestBytes = 1e9 * MIB_BYTES;
    const failure = await createFailure({ ...BASE, resources: { memoryRequestBytes } });

    expect(failure.fieldErrors["resources.memoryRequestBytes"]?.[0]).toMatch(
      /must be at most 4 TiB/,
    );
    await expectNothingStored();
  });

  it.each(["web;rm -rf /", "../../etc/passwd", "a/../b", "Web", "x".repeat(64)])(
    "refuses the name %s",
    async (name) => {
      const failure = await createFailure({ ...BASE, name });

      expect(failure.fieldErrors.name?.[0]).toBeDefined();
      await expectNothingStored();
    },
  );

  it("refuses a gateway service port outside the range, naming the setting", async () => {
    const failure = await createFailure({
      ...BASE,
      ports: [{ containerPort: 8080, protocol: "tcp" }],
      lb: { policy: "round-robin", servicePort: 80 },
    });

    expect(failure.code).toBe("BAD_REQUEST");
    expect(failure.fieldErrors["lb.servicePort"]?.[0]).toMatch(/outside the gateway's range/);
    await expectNothingStored();
  });

  it("refuses an unknown constraint operator", async () => {
    const constraints = [{ key: "zone", operator: "=~", value: "eu" }];
    const failure = await createFailure({ ...BASE, placement: { constraints } });
    const [field, messages] = Object.entries(failure.fieldErrors)[0] ?? [];

    expect(field).toMatch(/^placement\.constraints\.0/);
    expect(messages?.[0]).toMatch(/operator must be one of "==", "!=", "in"/);
    await expectNothingStored();
  });

  it("refuses a misspelt field instead of ignoring it", async () => {
    const failure = await createFailure({ ...BASE, replica: 3 });

    expect(failure.fieldErrors.input?.[0] ?? Object.values(failure.fieldErrors)[0]?.[0]).toMatch(
      /unknown field "replica"/,
    );
    await expectNothingStored();
  });

  it("refuses an env of 5 MB at the HTTP body limit, and with a field error past it", async () => {
    const env = { BLOB: "x".repeat(5 * 1000 * 1000) };
    const failure = await createFailure({ ...BASE, env });

    // The HTTP handler refuses bodies over 2 MiB before any procedure runs.
    expect(failure.code).toBe("PAYLOAD_TOO_LARGE");
    await expectNothingStored();
    // A caller without the body limit reaches the spec's own checks.
    const error = await operator.app.create({ ...BASE, env }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TRPCError);
    const cause = (error as TRPCError).cause;

    expect(cause).toBeInstanceOf(ZodError);
    expect((cause as ZodError).issues.map((issue) => issue.path.join("."))).toEqual([
      "env.BLOB",
      "env",
    ]);
    await expectNothingStored();
  });

  it("refuses an env just under the body limit with a field error on env", async () => {
    const env = { BLOB: "x".repeat(MIB_BYTES) };
    const failure = await createFailure({ ...BASE, env });

    expect(failure.fieldErrors["env.BLOB"]?.[0]).toMatch(/must be at most 32 KiB/);
    expect(failure.fieldErrors.env?.[0]).toMatch(/env must total at most 256 KiB/);
    await expectNothingStored();
  });

  it("accepts the same spec once it is fixed", async () => {
    const app = await client.app.create.mutate({ ...BASE, replicas: 1 });

    expect(app.revision.number).toBe(1);
    expect(await db.app.count()).toBe(1);
  });
});
