import { readFile } from "node:fs/promises";
import path from "node:path";

import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PrismaClient } from "@/server/db/generated/client";
import { open, secretKey } from "@/server/security/secrets";
import { LAB_TLS_DIR, LAB_TLS_ENDPOINT } from "@/server/test/config";
import { type TTestApi, createPrincipal, openTestDb, startTestApi } from "@/server/test/harness";

let db: PrismaClient;
let api: TTestApi;
let client: ReturnType<TTestApi["client"]>;

async function tlsFiles(dir: string, caDir = LAB_TLS_DIR) {
  const read = (base: string, file: string) => readFile(path.join(base, file), "utf8");

  return {
    ca: await read(caDir, "ca.pem"),
    cert: await read(dir, "cert.pem"),
    key: await read(dir, "key.pem"),
  };
}

beforeAll(async () => {
  db = await openTestDb();
  api = await startTestApi(db);
  const operator = await createPrincipal(db, "operator");
  client = api.client({ cookie: await api.signInCookie(operator.name) });
});

afterAll(async () => {
  await api.close();
  await db.$disconnect();
});

describe("a node over a unix socket", () => {
  it("adds it, advertises loopback, and lists its containers", async () => {
    const node = await client.node.create.mutate({
      name: "lab-socket",
      endpoint: "unix:///run/docker-n1.sock",
      labels: {},
    });

    expect(node).toMatchObject({
      transport: "socket",
      advertiseAddress: "127.0.0.1",
      hasTls: false,
    });
    expect(node.endpoint).toBe("unix:///run/docker-n1.sock");
    const detail = await client.node.get.query({ id: node.id });

    expect(detail.containersError).toBeNull();
    await client.node.delete.mutate({ id: node.id });
  });

  it("says there is no socket at a missing path", async () => {
    const error = await client.node.create
      .mutate({ name: "nosock", endpoint: "unix:///run/berth-no-such.sock", labels: {} })
      .catch((caught: unknown) => caught);

    expect((error as TRPCClientError<never>).message).toMatch(/There is no socket at/);
  });
});

describe("a node over mutual TLS", () => {
  it("refuses a client certificate from another CA, storing nothing", async () => {
    const rogue = await tlsFiles(path.join(LAB_TLS_DIR, "rogue"));
    const error = await client.node.create
      .mutate({ name: "lab-tls", endpoint: LAB_TLS_ENDPOINT, tls: rogue, labels: {} })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).message).toMatch(/TLS with .* failed/);
    expect((error as TRPCClientError<never>).data).toMatchObject({ berthCode: "NODE_TLS_FAILED" });
    expect(await db.node.count({ where: { transport: "tls" } })).toBe(0);
  });

  it("adds the node, reads its engine, and keeps the key sealed", async () => {
    const tls = await tlsFiles(LAB_TLS_DIR);
    const node = await client.node.create.mutate({
      name: "lab-tls",
      endpoint: LAB_TLS_ENDPOINT,
      tls,
      labels: { secure: "yes" },
    });

    expect(node).toMatchObject({ transport: "tls", hasTls: true, status: "ready" });
    expect(node.advertiseAddress).toBe("127.0.0.5");
    expect(node.cpus).toBeGreaterThan(0);
    expect(JSON.stringify(node)).not.toContain("PRIVATE KEY");
    const row = await db.node.findUniqueOrThrow({ where: { id: node.id } });

    expect(row.tlsKeySealed).not.toContain("PRIVATE KEY");
    expect(open(row.tlsKeySealed!, secretKey())).toBe(tls.key);
  });

  it("reads the node's containers over TLS and never returns the key", async () => {
    const node = (await client.node.find.query()).find((item) => item.name === "lab-tls");
    const detail = await client.node.get.query({ id: node!.id });

    expect(detail.containersError).toBeNull();
    expect(JSON.stringify(detail)).not.toMatch(/PRIVATE KEY|tlsKey/);
  });
});
