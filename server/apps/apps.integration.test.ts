/**
 * Apps' desired state through the real router on PostgreSQL: revisions, diffs, rollbacks,
 * sealed and masked secrets, and who may ask for bind mounts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { callerFor, createPrincipal, openTestDb, refusal } from "@/server/test/harness";

import { SECRET_MASK } from "./spec";

let db: PrismaClient;
let admin: ReturnType<typeof callerFor>;
let operator: ReturnType<typeof callerFor>;
let viewer: ReturnType<typeof callerFor>;
let webId: string;

const SECRET_VALUE = "s3cr3t-value-that-must-never-show";

beforeAll(async () => {
  db = await openTestDb();
  admin = callerFor(db, await createPrincipal(db, "admin"));
  operator = callerFor(db, await createPrincipal(db, "operator"));
  viewer = callerFor(db, await createPrincipal(db, "viewer"));
});

afterAll(async () => {
  await db.$disconnect();
});

/** Every place a secret could show: the app, its list, its revisions, diffs and events. */
async function everyOutput(id: string): Promise<string> {
  const outputs = [
    await viewer.app.get({ id }),
    await viewer.app.find(),
    await viewer.app.revisions({ id }),
    await viewer.app.diff({ id, from: 1, to: 2 }),
    await viewer.event.find({ limit: 100 }),
  ];

  return JSON.stringify(outputs);
}

describe("an app's revisions", () => {
  it("creates an app at revision 1 with an event naming the actor and the app", async () => {
    const app = await operator.app.create({
      name: "web",
      image: "berth-demo/web:1",
      replicas: 2,
      secrets: { API_KEY: SECRET_VALUE },
    });
    webId = app.id;

    expect(app.revision.number).toBe(1);
    expect(app.revision.reason).toBe("create");
    expect(app.spec.replicas).toBe(2);
    expect(app.spec.secrets).toEqual({ API_KEY: SECRET_MASK });
    expect(app.replicaCounts.running).toBe(0);
    const event = await db.event.findFirstOrThrow({ where: { kind: "app.created" } });

    expect(event.appId).toBe(app.id);
    expect(event.actorName).toMatch(/^operator-/);
  });

  it("refuses a second app of the same name", async () => {
    const error = await refusal(operator.app.create({ name: "web", image: "nginx:1.27" }));

    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/An app named web exists/);
  });

  it("updates the image to revision 2 and diffs it, keeping masked secrets", async () => {
    const current = await viewer.app.get({ id: webId });
    const app = await operator.app.update({
      id: webId,
      spec: { ...current.spec, image: "berth-demo/web:2" },
    });
    const diff = await viewer.app.diff({ id: webId, from: 1, to: 2 });

    expect(app.revision.number).toBe(2);
    expect(app.revision.reason).toBe("update");
    expect(diff.changes.map((change) => change.text)).toEqual([
      "image: berth-demo/web:1 → berth-demo/web:2",
    ]);
  });

  it("refuses an update that changes nothing", async () => {
    const current = await viewer.app.get({ id: webId });
    const error = await refusal(operator.app.update({ id: webId, spec: current.spec }));

    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/Nothing changed/);
    expect(await db.revision.count({ where: { appId: webId } })).toBe(2);
  });

  it("finds the app by the spec's name when no id is given, and refuses renames", async () => {
    const current = await viewer.app.get({ id: webId });
    const error = await refusal(
      operator.app.update({ id: webId, spec: { ...current.spec, name: "web-2" } }),
    );

    expect(error.message).toMatch(/cannot be renamed/);
    const missing = await refusal(
      operator.app.update({ spec: { ...current.spec, name: "nothing-here" } }),
    );

    expect(missing.code).toBe("NOT_FOUND");
  });

  it("scales to revision 3, and scaling to the same count writes nothing", async () => {
    const app = await operator.app.scale({ id: webId, replicas: 5 });

    expect(app.revision.number).toBe(3);
    expect(app.revision.reason).toBe("scale");
    expect(app.spec.replicas).toBe(5);
    const again = await operator.app.scale({ id: webId, replicas: 5 });

    expect(again.revision.number).toBe(3);
    const diff = await viewer.app.diff({ id: webId, from: 2, to: 3 });

    expect(diff.changes.map((change) => change.text)).toEqual(["replicas: 2 → 5"]);
  });

  it("rolls back to revision 1 as a new revision 4 with revision 1's spec", async () => {
    const app = await operator.app.rollback({ id: webId, toRevision: 1 });

    expect(app.revision.number).toBe(4);
    expect(app.revision.reason).toBe("rollback");
    expect(app.spec.image).toBe("berth-demo/web:1");
    expect(app.spec.replicas).toBe(2);
    expect((await viewer.app.diff({ id: webId, from: 1, to: 4 })).changes).toEqual([]);
    const revisions = await viewer.app.revisions({ id: webId });

    expect(revisions.map((r) => [r.number, r.reason, r.isCurrent])).toEqual([
      [4, "rollback", true],
      [3, "scale", false],
      [2, "update", false],
      [1, "create", false],
    ]);
    const error = await refusal(operator.app.rollback({ id: webId, toRevision: 9 }));

    expect(error.code).toBe("NOT_FOUND");
  });

  it("writes one event per change, each with the app's id", async () => {
    const events = await db.event.findMany({ where: { appId: webId }, orderBy: { id: "asc" } });

    expect(events.map((event) => event.kind)).toEqual([
      "app.created",
      "app.updated",
      "app.scaled",
      "app.rolledBack",
    ]);
    const viaApi = await viewer.event.find({ appId: webId, limit: 10 });

    expect(viaApi.map((event) => event.kind)).toEqual([
      "app.rolledBack",
      "app.scaled",
      "app.updated",
      "app.created",
    ]);
  });

  it("lists apps with desired replicas and replica counts", async () => {
    const [web] = await viewer.app.find();

    expect(web).toMatchObject({ name: "web", desiredReplicas: 2, revision: 4 });
    expect(Object.values(web?.replicaCounts ?? {}).every((count) => count === 0)).toBe(true);
  });
});

describe("secrets", () => {
  it("stores them sealed: no revision row holds the value in plain text", async () => {
    const rows = await db.$queryRaw<{ row: string }[]>`
      SELECT row_to_json(r)::text AS row FROM "Revision" r WHERE r."appId" = ${webId}::uuid`;

    expect(rows).toHaveLength(4);
    for (const { row } of rows) {
      expect(row).not.toContain(SECRET_VALUE);
      expect(row).toContain('"secretsSealed":"v1.');
    }
    const events = await db.$queryRaw<{ row: string }[]>`
      SELECT row_to_json(e)::text AS row FROM "Event" e`;

    expect(events.map((e) => e.row).join("\n")).not.toContain(SECRET_VALUE);
  });

  it("masks them in every output", async () => {
    const outputs = await everyOutput(webId);

    expect(outputs).not.toContain(SECRET_VALUE);
    expect(outputs).toContain(SECRET_MASK);
  });

  it("shows a changed secret in a diff without its value", async () => {
    const current = await viewer.app.get({ id: webId });
    await operator.app.update({
      id: webId,
      spec: { ...current.spec, secrets: { API_KEY: "another-secret-value" } },
    });
    const diff = await viewer.app.diff({ id: webId, from: 4, to: 5 });

    expect(diff.changes.map((change) => change.text)).toEqual([
      "secrets.API_KEY: changed (value hidden)",
    ]);
    expect(JSON.stringify(diff)).not.toContain("another-secret-value");
  });

  it("refuses a new secret sent as the mask", async () => {
    const current = await viewer.app.get({ id: webId });
    const error = await refusal(
      operator.app.update({
        id: webId,
        spec: { ...current.spec, secrets: { ...current.spec.secrets, NEW_ONE: SECRET_MASK } },
      }),
    );

    expect(error.message).toMatch(/give its value, not the mask/);
  });
});

describe("bind mounts", () => {
  const bind = { kind: "bind" as const, hostPath: "/srv/data", mountPath: "/data" };

  it("are refused to an operator, with a field error on volumes", async () => {
    const error = await refusal(
      operator.app.create({ name: "files", image: "nginx:1.27", volumes: [bind] }),
    );

    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(/admin role/);
    expect(await db.app.count({ where: { name: "files" } })).toBe(0);
  });

  it("are allowed to an admin, and an operator cannot keep one through an update", async () => {
    const app = await admin.app.create({ name: "files", image: "nginx:1.27", volumes: [bind] });

    expect(app.spec.volumes).toEqual([{ ...bind, readOnly: false }]);
    const error = await refusal(
      operator.app.update({ id: app.id, spec: { ...app.spec, image: "nginx:1.28" } }),
    );

    expect(error.code).toBe("FORBIDDEN");
    await admin.app.update({ id: app.id, spec: { ...app.spec, volumes: [] } });
    const rollback = await refusal(operator.app.rollback({ id: app.id, toRevision: 1 }));

    expect(rollback.code).toBe("FORBIDDEN");
  });
});

describe("deleting", () => {
  it("refuses viewers, then removes an app without replicas but keeps its events", async () => {
    const app = await operator.app.create({ name: "short-lived", image: "nginx:1.27" });
    const forbidden = await refusal(viewer.app.delete({ id: app.id }));

    expect(forbidden.code).toBe("FORBIDDEN");
    await operator.app.delete({ id: app.id });

    expect(await db.app.count({ where: { id: app.id } })).toBe(0);
    expect(await db.revision.count({ where: { appId: app.id } })).toBe(0);
    const kinds = await db.event.findMany({ where: { appId: app.id }, select: { kind: true } });

    expect(kinds.map((event) => event.kind)).toEqual(["app.created", "app.deleted"]);
  });

  it("marks an app with replicas for deletion and refuses changes to it meanwhile", async () => {
    const app = await viewer.app.get({ id: webId });
    const revision = await db.revision.findFirstOrThrow({
      where: { appId: webId, number: app.revision.number },
    });
    await db.replica.create({ data: { appId: webId, revisionId: revision.id, slot: 0 } });
    await operator.app.delete({ id: webId });
    const deleting = await viewer.app.get({ id: webId });

    expect(deleting.isDeleting).toBe(true);
    expect(deleting.status).toBe("deleting");
    const error = await refusal(operator.app.scale({ id: webId, replicas: 4 }));

    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/is being deleted/);
    const [event] = await viewer.event.find({ kindPrefix: "app.deleteRequested", limit: 1 });

    expect(event?.message).toMatch(/stopping its 1 replica/);
    await db.replica.deleteMany({ where: { appId: webId } });
    await db.app.update({ where: { id: webId }, data: { deleteRequestedAt: null } });
  });
});
