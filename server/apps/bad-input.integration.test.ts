/**
 * Hostile and broken app specs sent over HTTP, as a script or a buggy form would: each is
 * refused with a field error, no stack trace, and nothing written. An app already running
 * on the lab keeps its spec, revisions and replicas through every refused update and scale.
 */
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MAX_REQUEST_BYTES } from "@/server/api/trpc";
import type { PrismaClient } from "@/server/db/generated/client";
import {
  type TTestApi,
  callerFor,
  createPrincipal,
  openTestDb,
  startTestApi,
} from "@/server/test/harness";
import { removeAllBerthContainers, startTestController } from "@/server/test/lab";
import { labEndpoint } from "@/server/test/config";
import { waitForReady } from "@/server/test/replicas";
import type { TController } from "@/server/controller";

import { MIB_BYTES } from "./spec";

let db: PrismaClient;
let api: TTestApi;
let client: ReturnType<TTestApi["client"]>;
let operator: ReturnType<typeof callerFor>;

type TFailure = { code: string; message: string; fieldErrors: Record<string, string[]> };

/** The refusal of a call that must fail, as the HTTP client sees it (never a stack trace). */
async function refusalOf(what: string, call: () => Promise<unknown>): Promise<TFailure> {
  try {
    await call();
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
  throw new Error(`${what} accepted bad input`);
}

async function createFailure(input: unknown): Promise<TFailure> {
  // Deliberately unchecked input: this is what a hostile or buggy client sends.
  return refusalOf("app.create", () => client.app.create.mutate(input as never));
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

  it("refuses an env of 5 MB with field errors on the value and on env", async () => {
    const env = { BLOB: "x".repeat(5 * 1000 * 1000) };
    const failure = await createFailure({ ...BASE, env });

    expect(failure.fieldErrors["env.BLOB"]?.[0]).toMatch(/must be at most 32 KiB/);
    expect(failure.fieldErrors.env?.[0]).toMatch(/at most 256 KiB/);
    await expectNothingStored();
  });

  it("refuses a body over 8 MiB unread, saying what to send instead", async () => {
    const env = { BLOB: "x".repeat(MAX_REQUEST_BYTES + 1) };
    const failure = await createFailure({ ...BASE, env });

    expect(failure.code).toBe("PAYLOAD_TOO_LARGE");
    expect(failure.message).toMatch(
      /larger than 8 MiB.*nothing changed.*env takes at most 256 KiB/,
    );
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

describe("updating and scaling a running app with bad input over HTTP", () => {
  const STEADY = { name: "steady", image: "berth-demo/web:1", replicas: 2 };
  let controller: TController;
  let appId = "";
  let before: Awaited<ReturnType<typeof appState>>;

  /** What must not move: the spec and revision, every revision, every replica and event. */
  async function appState() {
    const [app, revisions, replicas, events] = await Promise.all([
      operator.app.get({ id: appId }),
      db.revision.findMany({
        where: { appId },
        orderBy: { number: "asc" },
        select: { id: true, number: true, spec: true },
      }),
      db.replica.findMany({
        where: { appId },
        orderBy: { slot: "asc" },
        select: {
          id: true,
          slot: true,
          revisionId: true,
          nodeId: true,
          containerId: true,
          state: true,
        },
      }),
      db.event.count({ where: { appId } }),
    ]);

    return { spec: app.spec, revision: app.revision.number, revisions, replicas, events };
  }

  async function updateFailure(spec: unknown) {
    return refusalOf("app.update", () => client.app.update.mutate({ id: appId, spec } as never));
  }

  async function scaleFailure(input: unknown) {
    return refusalOf("app.scale", () => client.app.scale.mutate(input as never));
  }

  beforeAll(async () => {
    await removeAllBerthContainers();
    for (const k of [1, 2]) {
      await operator.node.create({ name: `lab-${k}`, endpoint: labEndpoint(k), labels: {} });
    }
    controller = startTestController(db);
    appId = (await client.app.create.mutate(STEADY)).id;
    await waitForReady(db, appId, 2);
    before = await appState();
  });

  afterAll(async () => {
    await controller.stop();
    await removeAllBerthContainers();
  });

  it.each([
    ["negative replicas", { replicas: -1 }, "spec.replicas", /from 0 to 1000/],
    [
      "10^9 MiB of memory",
      { resources: { memoryRequestBytes: 1e9 * MIB_BYTES } },
      "spec.resources.memoryRequestBytes",
      /must be at most 4 TiB/,
    ],
    ["a name with ;", { name: "steady;rm -rf /" }, "spec.name", /./],
    ["a name with ../", { name: "../steady" }, "spec.name", /./],
    ["replicas as text", { replicas: "3" }, "spec.replicas", /whole number/],
    ["an image as a number", { image: 42 }, "spec.image", /image reference/],
    ["ports as text", { ports: "80" }, "spec.ports", /./],
  ])("refuses an update with %s, naming the field", async (_what, change, field, message) => {
    const failure = await updateFailure({ ...STEADY, ...change });

    expect(failure.code).toBe("BAD_REQUEST");
    expect(failure.fieldErrors[field]?.[0]).toMatch(message);
    expect(await appState()).toEqual(before);
  });

  it.each(["A;B", "../etc", "PATH=x"])("refuses an env name %s, naming it", async (name) => {
    const failure = await updateFailure({ ...STEADY, env: { [name]: "1" } });
    const [field, messages] = Object.entries(failure.fieldErrors)[0] ?? [];

    expect(field).toBe(`spec.env.${name}`);
    expect(messages?.[0]).toMatch(/is not a valid name/);
    expect(await appState()).toEqual(before);
  });

  it("refuses an unknown constraint operator in an update", async () => {
    const constraints = [{ key: "zone", operator: "=~", value: "eu" }];
    const failure = await updateFailure({ ...STEADY, placement: { constraints } });
    const [field, messages] = Object.entries(failure.fieldErrors)[0] ?? [];

    expect(field).toMatch(/^spec\.placement\.constraints\.0/);
    expect(messages?.[0]).toMatch(/operator must be one of "==", "!=", "in"/);
    expect(await appState()).toEqual(before);
  });

  it("refuses a 5 MB env in an update with field errors on the value and on env", async () => {
    const env = { BLOB: "x".repeat(5 * 1000 * 1000) };
    const failure = await updateFailure({ ...STEADY, env });

    expect(failure.fieldErrors["spec.env.BLOB"]?.[0]).toMatch(/must be at most 32 KiB/);
    expect(failure.fieldErrors["spec.env"]?.[0]).toMatch(/at most 256 KiB/);
    expect(await appState()).toEqual(before);
  });

  it.each([
    ["negative replicas", { replicas: -1 }, "replicas", /from 0 to 1000/],
    ["10^9 replicas", { replicas: 1e9 }, "replicas", /from 0 to 1000/],
    ["replicas as text", { replicas: "3" }, "replicas", /whole number/],
    ["half a replica", { replicas: 2.5 }, "replicas", /whole number/],
    ["no replicas", { replicas: null }, "replicas", /whole number/],
  ])("refuses a scale with %s, naming the field", async (_what, change, field, message) => {
    const failure = await scaleFailure({ id: appId, ...change });

    expect(failure.code).toBe("BAD_REQUEST");
    expect(failure.fieldErrors[field]?.[0]).toMatch(message);
    expect(await appState()).toEqual(before);
  });

  it("refuses a scale of a path instead of an app id, and an unknown field", async () => {
    const byPath = await scaleFailure({ id: "../../etc/passwd", replicas: 1 });

    expect(byPath.fieldErrors.id?.[0]).toMatch(/must be an app id/);
    const extra = await scaleFailure({ id: appId, replicas: 1, force: true });

    expect(Object.values(extra.fieldErrors)[0]?.[0]).toMatch(/unknown field "force"/);
    expect(await appState()).toEqual(before);
  });

  it("still takes a good scale afterwards", async () => {
    const app = await client.app.scale.mutate({ id: appId, replicas: 1 });

    expect(app.spec.replicas).toBe(1);
    expect(app.revision.number).toBe(before.revision + 1);
  });
});
