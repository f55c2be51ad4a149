import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { type TTestApi, TEST_PASSWORD, openTestDb, startTestApi } from "@/server/test/harness";

import { MAX_FAILURES_PER_USERNAME } from "./rate-limit";

let db: PrismaClient;
let api: TTestApi;

/** Signs in over HTTP and returns the session cookie the server set. */
async function signInOverHttp(username: string, password: string): Promise<Response> {
  return fetch(`${api.url}/user.signIn`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { username, password } }),
  });
}

function sessionCookie(response: Response): string {
  const header = response.headers.get("set-cookie") ?? "";

  expect(header).toMatch(/HttpOnly/);
  expect(header).toMatch(/SameSite=Lax/);

  return header.split(";")[0] ?? "";
}

beforeAll(async () => {
  db = await openTestDb();
  api = await startTestApi(db);
});

afterAll(async () => {
  await api.close();
  await db.$disconnect();
});

describe("sign-in, sessions and tokens", () => {
  it("starts needing set-up, creates the first admin once", async () => {
    const anonymous = api.client();

    expect(await anonymous.user.setupStatus.query()).toEqual({ needsSetup: true });
    const me = await anonymous.user.setup.mutate({ username: "admin", password: TEST_PASSWORD });

    expect(me).toEqual({ kind: "user", name: "admin", role: "admin" });
    await expect(
      anonymous.user.setup.mutate({ username: "mallory", password: TEST_PASSWORD }),
    ).rejects.toThrow(/already set up/);
    expect(await db.user.count()).toBe(1);
    const stored = await db.user.findUniqueOrThrow({ where: { username: "admin" } });

    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("opens a session by cookie and closes it on sign-out", async () => {
    const response = await signInOverHttp("admin", TEST_PASSWORD);

    expect(response.status).toBe(200);
    const cookie = sessionCookie(response);
    const client = api.client({ cookie });

    expect((await client.user.me.query()).name).toBe("admin");
    await client.user.signOut.mutate();
    await expect(client.user.me.query()).rejects.toThrow(/Sign in first/);
  });

  it("says wrong password without telling which part was wrong", async () => {
    const unknown = await api
      .client()
      .user.signIn.mutate({ username: "nobody", password: "x" })
      .catch((e: unknown) => e);
    const wrong = await api
      .client()
      .user.signIn.mutate({ username: "admin", password: "x" })
      .catch((e: unknown) => e);

    expect((unknown as Error).message).toBe("Wrong user name or password.");
    expect((wrong as Error).message).toBe("Wrong user name or password.");
  });

  it("rate limits repeated failures for one user name", async () => {
    await db.signInAttempt.deleteMany();
    for (let attempt = 0; attempt < MAX_FAILURES_PER_USERNAME; attempt++) {
      expect((await signInOverHttp("admin", "wrong password")).status).toBe(401);
    }
    const limited = await signInOverHttp("admin", TEST_PASSWORD);

    expect(limited.status).toBe(429);
    expect(await limited.text()).toMatch(/Too many failed sign-ins\. Wait \d+ minutes?/);
    await db.signInAttempt.deleteMany();
  });

  it("issues API tokens shown once, stored hashed, and revocable", async () => {
    const admin = api.client({
      cookie: sessionCookie(await signInOverHttp("admin", TEST_PASSWORD)),
    });
    const { id, token } = await admin.token.create.mutate({ name: "wall", role: "viewer" });

    expect(token).toMatch(/^berth_[A-Za-z0-9_-]{43}$/);
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id } });

    expect(JSON.stringify(stored)).not.toContain(token);
    const wall = api.client({ authorization: `Bearer ${token}` });

    expect(await wall.user.me.query()).toEqual({ kind: "token", name: "wall", role: "viewer" });
    const refused = await wall.node.create
      .mutate({ name: "n1", endpoint: "tcp://127.0.0.2:2375", labels: {} })
      .catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ code: "FORBIDDEN" });
    expect((await admin.token.find.query())[0]).toMatchObject({ name: "wall", revokedAt: null });
    await admin.token.delete.mutate({ id });
    await expect(wall.user.me.query()).rejects.toThrow(/Sign in first/);
  });

  it("audits every change with who made it", async () => {
    const events = await db.event.findMany({ orderBy: { id: "asc" } });

    expect(events.map((event) => [event.kind, event.actorName])).toEqual([
      ["user.created", "admin"],
      ["token.created", "admin"],
      ["token.revoked", "admin"],
    ]);
  });

  it("never demotes or deletes the last admin", async () => {
    const admin = api.client({
      cookie: sessionCookie(await signInOverHttp("admin", TEST_PASSWORD)),
    });
    const [self] = await admin.user.find.query();
    await expect(admin.user.update.mutate({ id: self!.id, role: "viewer" })).rejects.toThrow(
      /last admin/,
    );
    const { id } = await admin.user.create.mutate({
      username: "ops",
      password: TEST_PASSWORD,
      role: "operator",
    });
    await admin.user.update.mutate({ id, role: "viewer" });
    await admin.user.delete.mutate({ id });

    expect((await admin.user.find.query()).map((user) => user.username)).toEqual(["admin"]);
  });
});
