/**
 * Compose import against a real PostgreSQL: the preview writes nothing, the import creates
 * apps and revisions through the app service, and a bad service changes nothing while the
 * good ones go ahead.
 */
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { MAX_REQUEST_BYTES } from "@/server/api/trpc";
import type { PrismaClient } from "@/server/db/generated/client";
import {
  type TTestApi,
  callerFor,
  createPrincipal,
  openTestDb,
  startTestApi,
} from "@/server/test/harness";

import { MIB_BYTES, SECRET_MASK } from "./spec";

let db: PrismaClient;
let api: TTestApi;
let operator: ReturnType<typeof callerFor>;
let admin: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
let http: ReturnType<TTestApi["client"]>;

const FILE = `
version: "3.8"
services:
  web:
    image: berth-demo/web:1
    command: ["node", "server.js"]
    ports: ["8080:8080"]
    environment: { MODE: prod, HOME_DIR: }
    networks: [front]
    deploy: { replicas: 2, resources: { limits: { memory: 256M } } }
  worker:
    image: berth-demo/web:1
    depends_on: [web]
  builder:
    build: .
networks: { front: {} }
`;

beforeAll(async () => {
  db = await openTestDb();
  api = await startTestApi(db);
  const operatorPrincipal = await createPrincipal(db, "operator");
  operator = callerFor(db, operatorPrincipal);
  admin = callerFor(db, await createPrincipal(db, "admin"));
  viewer = callerFor(db, await createPrincipal(db, "viewer"));
  http = api.client({ cookie: await api.signInCookie(operatorPrincipal.name) });
});

beforeEach(async () => {
  await db.$executeRawUnsafe(`UPDATE "App" SET "currentRevisionId" = NULL`);
  await db.revision.deleteMany();
  await db.app.deleteMany();
  await db.event.deleteMany({ where: { kind: { startsWith: "app." } } });
});

afterAll(async () => {
  await api.close();
  await db.$disconnect();
});

async function expectNothingStored() {
  expect(await db.app.count()).toBe(0);
  expect(await db.revision.count()).toBe(0);
  expect(await db.event.count({ where: { kind: { startsWith: "app." } } })).toBe(0);
}

describe("compose.preview", () => {
  it("shows what each service would become and what is left out, writing nothing", async () => {
    const preview = await operator.compose.preview({ text: FILE });
    const [web, worker, builder] = preview.services;

    expect(preview.services.map((s) => [s.name, s.action])).toEqual([
      ["web", "create"],
      ["worker", "create"],
      ["builder", "create"],
    ]);
    expect(web?.spec).toMatchObject({ image: "berth-demo/web:1", replicas: 2 });
    expect(web?.spec?.resources.memoryLimitBytes).toBe(256 * MIB_BYTES);
    expect(web?.unsupported.map((entry) => entry.path)).toEqual([
      "services.web.environment.HOME_DIR",
      "services.web.networks",
    ]);
    expect(worker?.unsupported.map((entry) => entry.path)).toEqual(["services.worker.depends_on"]);
    expect(builder?.spec).toBeNull();
    expect(builder?.fieldErrors?.["services.builder.image"]?.[0]).toMatch(/does not build/);
    expect(preview.unsupported.map((entry) => entry.path)).toEqual(["networks"]);
    await expectNothingStored();
  });

  it("refuses a file that is not YAML with a field error on text", async () => {
    const error = await operator.compose.preview({ text: "services: [" }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(/not valid YAML at line/);
    await expectNothingStored();
  });

  it("refuses bind mounts to operators in the preview, and shows them to admins", async () => {
    const text = "services:\n  files:\n    image: berth-demo/web:1\n    volumes: [/srv:/srv]\n";
    const asOperator = await operator.compose.preview({ text });
    const asAdmin = await admin.compose.preview({ text });

    expect(asOperator.services[0]?.fieldErrors?.volumes?.[0]).toMatch(/admin role/);
    expect(asAdmin.services[0]?.spec?.volumes[0]).toMatchObject({ kind: "bind" });
    await expectNothingStored();
  });

  it("is refused to viewers", async () => {
    const error = await viewer.compose.preview({ text: FILE }).catch((e: unknown) => e);

    expect((error as TRPCError).code).toBe("FORBIDDEN");
  });
});

describe("compose.import", () => {
  it("creates the chosen apps as revision 1 and reports the bad service", async () => {
    const outcomes = await operator.compose.import({
      text: FILE,
      services: ["web", "worker", "builder"],
    });

    expect(outcomes.map((o) => [o.name, o.action, o.ok, o.revision])).toEqual([
      ["web", "create", true, 1],
      ["worker", "create", true, 1],
      ["builder", "create", false, null],
    ]);
    expect(outcomes[2]?.error).toMatch(/services\.builder\.image/);
    const web = await operator.app.get({ id: outcomes[0]?.appId ?? "" });

    expect(web.spec).toMatchObject({
      args: ["node", "server.js"],
      env: { MODE: "prod" },
      ports: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
      replicas: 2,
    });
    expect((await db.app.findMany()).map((app) => app.name).sort()).toEqual(["web", "worker"]);
    expect(await db.revision.count()).toBe(2);
    expect(await db.event.count({ where: { kind: "app.created" } })).toBe(2);
  });

  it("updates an existing app as a new revision, keeping its secrets", async () => {
    const created = await operator.app.create({
      name: "web",
      image: "berth-demo/web:1",
      secrets: { TOKEN: "s3cret" },
      lb: { policy: "p2c" },
    });
    const preview = await operator.compose.preview({ text: FILE });

    expect(preview.services[0]?.action).toBe("update");
    expect(preview.services[0]?.spec?.secrets).toEqual({ TOKEN: SECRET_MASK });
    expect(preview.services[0]?.notes.map((note) => note.reason)).toContainEqual(
      expect.stringMatching(/keeps the app's secrets, load balancing/),
    );

    const [outcome] = await operator.compose.import({ text: FILE, services: ["web"] });

    expect(outcome).toMatchObject({ ok: true, action: "update", appId: created.id, revision: 2 });
    const app = await operator.app.get({ id: created.id });

    expect(app.spec.replicas).toBe(2);
    expect(app.spec.lb).toEqual({ policy: "p2c" });
    expect(app.spec.secrets).toEqual({ TOKEN: SECRET_MASK });
    const stored = await db.revision.findFirst({ where: { appId: created.id, number: 2 } });

    expect(stored?.secretsSealed).not.toBeNull();
    // Importing the same file again changes nothing, and says so.
    const [again] = await operator.compose.import({ text: FILE, services: ["web"] });

    expect(again).toMatchObject({ ok: false, action: "update" });
    expect(again?.error).toMatch(/Nothing changed/);
    expect(await db.revision.count({ where: { appId: created.id } })).toBe(2);
  });

  it("refuses bind mounts to operators per service and writes nothing for them", async () => {
    const text =
      "services:\n  files:\n    image: berth-demo/web:1\n    volumes: [/srv:/srv]\n" +
      "  plain:\n    image: berth-demo/web:1\n";
    const outcomes = await operator.compose.import({ text, services: ["files", "plain"] });

    expect(outcomes.map((o) => o.ok)).toEqual([false, true]);
    expect(outcomes[0]?.error).toMatch(/admin role/);
    expect((await db.app.findMany()).map((app) => app.name)).toEqual(["plain"]);

    const [asAdmin] = await admin.compose.import({ text, services: ["files"] });

    expect(asAdmin).toMatchObject({ ok: true, revision: 1 });
  });

  it("refuses a service the file does not have, before writing anything", async () => {
    const error = await operator.compose
      .import({ text: FILE, services: ["web", "../etc"] })
      .catch((e: unknown) => e);

    expect((error as TRPCError).message).toMatch(/no service \.\.\/etc/);
    await expectNothingStored();
  });

  it("refuses hostile service names and writes nothing", async () => {
    const text = 'services:\n  "web;rm -rf /":\n    image: berth-demo/web:1\n';
    const [outcome] = await operator.compose.import({ text, services: ["web;rm -rf /"] });

    expect(outcome?.ok).toBe(false);
    expect(outcome?.error).toMatch(/cannot be an app name/);
    await expectNothingStored();
  });
});

describe("compose over HTTP", () => {
  async function failure(text: string) {
    const error = await http.compose.preview.mutate({ text }).catch((e: unknown) => e);
    if (!(error instanceof TRPCClientError)) {
      throw new Error("expected a tRPC error");
    }
    const data = error.data as { code: string; fieldErrors?: Record<string, string[]> | null };

    return { code: data.code, message: error.message, fieldErrors: data.fieldErrors ?? {} };
  }

  it("refuses 5 MB with a field error on text", async () => {
    const result = await failure(`services: {}\n#${"x".repeat(5 * 1000 * 1000)}`);

    expect(result.fieldErrors.text?.[0]).toMatch(/at most 1 MiB/);
    await expectNothingStored();
  });

  it("refuses a body over 8 MiB unread", async () => {
    const result = await failure(`services: {}\n#${"x".repeat(MAX_REQUEST_BYTES)}`);

    expect(result.code).toBe("PAYLOAD_TOO_LARGE");
    expect(result.message).toMatch(/a Compose file at most 1 MiB/);
    await expectNothingStored();
  });

  it("refuses text over 1 MiB with a field error on text", async () => {
    const result = await failure(`services: {}\n#${"x".repeat(MIB_BYTES + 10)}`);

    expect(result.fieldErrors.text?.[0]).toMatch(/at most 1 MiB/);
    await expectNothingStored();
  });

  it("refuses an alias bomb with a message, not a stack trace", async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(",")}]`);
    }
    lines.push("services: { web: { image: berth-demo/web:1 } }");
    const result = await failure(lines.join("\n"));

    expect(result.code).toBe("BAD_REQUEST");
    expect(result.fieldErrors.text?.[0]).toMatch(/aliases/);
    await expectNothingStored();
  });
});
