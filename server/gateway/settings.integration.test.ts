/**
 * Bad gateway settings through the API (app.create and app.update over HTTP): a port another
 * process holds on the gateway's address, another app's port, a port outside the range, a
 * weight below zero. Each is a field error naming the setting and the fix, and changes
 * nothing. The port holder is a separate process, as it would be in production.
 */
import { type ChildProcess, spawn } from "node:child_process";

import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { env } from "@/server/env";
import { type TTestApi, createPrincipal, openTestDb, startTestApi } from "@/server/test/harness";

import { tryBind } from "./port-check";

const HOLDER_START_MS = 10_000;

let db: PrismaClient;
let api: TTestApi;
let client: ReturnType<TTestApi["client"]>;
let holder: ChildProcess | undefined;
/** A port of the range that another process holds for the whole file. */
let heldPort = 0;
let appId = "";

const { min, max } = env().BERTH_GATEWAY_PORTS;
const ADDRESS = env().BERTH_GATEWAY_ADDRESS;
const SPEC = {
  name: "svc",
  image: "berth-demo/web:1",
  replicas: 0,
  ports: [{ containerPort: 8080, protocol: "tcp" as const }],
};

type TFailure = { code: string; message: string; fieldErrors: Record<string, string[]> };

async function failureOf(promise: Promise<unknown>): Promise<TFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCClientError)) {
    throw new Error(`expected a refusal, got ${String(error)}`);
  }
  const data = error.data as { code: string; fieldErrors?: Record<string, string[]> | null };

  return { code: data.code, message: error.message, fieldErrors: data.fieldErrors ?? {} };
}

/** Holds a port in a child process until the file ends; resolves once it listens. */
async function holdPort(port: number): Promise<ChildProcess> {
  const script =
    "const s=require('net').createServer();" +
    `s.listen(${port},'${ADDRESS}',()=>process.stdout.write('ready\\n'));` +
    "process.stdin.on('end',()=>process.exit(0));process.stdin.resume();";
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("port holder did not start")), HOLDER_START_MS);
    child.stdout?.on("data", () => {
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => reject(new Error(`port holder exited with ${code}`)));
  });

  return child;
}

async function revisionCount(): Promise<number> {
  return db.revision.count({ where: { appId } });
}

beforeAll(async () => {
  db = await openTestDb();
  api = await startTestApi(db);
  const principal = await createPrincipal(db, "operator");
  client = api.client({ cookie: await api.signInCookie(principal.name) });
  // A free port near the top of the range, then held by another process.
  for (let port = max; port > min && heldPort === 0; port -= 1) {
    heldPort = (await tryBind(ADDRESS, port)) === undefined ? port : 0;
  }
  holder = await holdPort(heldPort);
  const app = await client.app.create.mutate({ ...SPEC, lb: { servicePort: min } });
  appId = app.id;
});

afterAll(async () => {
  holder?.stdin?.end();
  holder?.kill();
  await api.close();
  await db.$disconnect();
});

describe("gateway settings through the API", () => {
  it("refuses, on create, a port another process holds on the gateway's address", async () => {
    const failure = await failureOf(
      client.app.create.mutate({ ...SPEC, name: "held", lb: { servicePort: heldPort } }),
    );

    expect(failure.code).toBe("BAD_REQUEST");
    expect(failure.fieldErrors["lb.servicePort"]?.[0]).toMatch(
      new RegExp(`Port ${heldPort} is in use by another process on the gateway's address`),
    );
    expect(failure.message).toMatch(/pick another port, or leave servicePort out/);
    expect(await db.app.count({ where: { name: "held" } })).toBe(0);
  });

  it("refuses, on update, a port another process holds, and keeps the revision", async () => {
    const before = await revisionCount();
    const failure = await failureOf(
      client.app.update.mutate({ id: appId, spec: { ...SPEC, lb: { servicePort: heldPort } } }),
    );

    expect(failure.fieldErrors["lb.servicePort"]?.[0]).toMatch(/in use by another process/);
    expect(await revisionCount()).toBe(before);
  });

  it("refuses another app's service port on create and on update", async () => {
    const other = await client.app.create.mutate({ ...SPEC, name: "other" });
    const onCreate = await failureOf(
      client.app.create.mutate({ ...SPEC, name: "copy", lb: { servicePort: min } }),
    );
    const before = await db.revision.count({ where: { appId: other.id } });
    const onUpdate = await failureOf(
      client.app.update.mutate({
        id: other.id,
        spec: { ...SPEC, name: "other", lb: { servicePort: min } },
      }),
    );

    expect(onCreate.fieldErrors["lb.servicePort"]?.[0]).toMatch(
      /already the service port of svc. Pick another/,
    );
    expect(onUpdate.fieldErrors["lb.servicePort"]?.[0]).toMatch(/already the service port of svc/);
    expect(await db.app.count({ where: { name: "copy" } })).toBe(0);
    expect(await db.revision.count({ where: { appId: other.id } })).toBe(before);
  });

  it("refuses a port outside the range on create and on update", async () => {
    const before = await revisionCount();
    const onCreate = await failureOf(
      client.app.create.mutate({ ...SPEC, name: "low", lb: { servicePort: min - 1 } }),
    );
    const onUpdate = await failureOf(
      client.app.update.mutate({ id: appId, spec: { ...SPEC, lb: { servicePort: max + 1 } } }),
    );
    const range = `${min}-${max}`;

    expect(onCreate.fieldErrors["lb.servicePort"]?.[0]).toMatch(
      new RegExp(`outside the gateway's range ${range} \\(BERTH_GATEWAY_PORTS\\)`),
    );
    expect(onUpdate.fieldErrors["lb.servicePort"]?.[0]).toMatch(/outside the gateway's range/);
    expect(await revisionCount()).toBe(before);
  });

  it("refuses a weight below zero on create and on update", async () => {
    const before = await revisionCount();
    const lb = { policy: "weighted" as const, weights: [2, -1] };
    const onCreate = await failureOf(client.app.create.mutate({ ...SPEC, name: "neg", lb }));
    const onUpdate = await failureOf(
      client.app.update.mutate({ id: appId, spec: { ...SPEC, lb } }),
    );

    expect(onCreate.code).toBe("BAD_REQUEST");
    expect(onCreate.fieldErrors["lb.weights.1"]?.[0]).toMatch(/whole number from 0 to 1000/);
    expect(
      onUpdate.fieldErrors["spec.lb.weights.1"] ?? onUpdate.fieldErrors["lb.weights.1"],
    ).toEqual([expect.stringMatching(/whole number from 0 to 1000/)]);
    expect(await db.app.count({ where: { name: "neg" } })).toBe(0);
    expect(await revisionCount()).toBe(before);
  });

  it("accepts the port the app already has, though its gateway would hold it", async () => {
    const updated = await client.app.update.mutate({
      id: appId,
      spec: { ...SPEC, replicas: 1, lb: { servicePort: min } },
    });

    expect(updated.id).toBe(appId);
  });
});
