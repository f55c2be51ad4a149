import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { MAX_REQUEST_BYTES } from "@/server/api/trpc";
import type { PrismaClient } from "@/server/db/generated/client";
import { type TTestApi, createPrincipal, openTestDb, startTestApi } from "@/server/test/harness";

let db: PrismaClient;
let api: TTestApi;
let client: ReturnType<TTestApi["client"]>;
let cookie: string;
let plainWeb: http.Server;
let plainWebPort: number;
let silent: net.Server;
let silentPort: number;

/** A port on 127.0.0.1 that nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));

  return port;
}

type TFailure = { message: string; fieldErrors: Record<string, string[]> };

async function addNodeFailure(input: unknown): Promise<TFailure> {
  try {
    // Deliberately unchecked input: this is what a hostile or buggy client sends.
    await client.node.create.mutate(input as never);
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as { fieldErrors?: Record<string, string[]> | null; stack?: string };

      expect(data.stack).toBeUndefined();
      expect(error.message).not.toMatch(/at .*\.ts:\d+/);

      return { message: error.message, fieldErrors: data.fieldErrors ?? {} };
    }
    throw error;
  }
  throw new Error("node.create accepted bad input");
}

beforeAll(async () => {
  db = await openTestDb();
  api = await startTestApi(db);
  const operator = await createPrincipal(db, "operator");
  cookie = await api.signInCookie(operator.name);
  client = api.client({ cookie });
  plainWeb = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end("<h1>hello</h1>");
  });
  await new Promise<void>((resolve) => plainWeb.listen(0, "127.0.0.1", resolve));
  plainWebPort = (plainWeb.address() as AddressInfo).port;
  // Accepts connections and never answers, like an engine behind a stuck proxy.
  silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentPort = (silent.address() as AddressInfo).port;
});

afterAll(async () => {
  await api.close();
  await new Promise<void>((resolve) => plainWeb.close(() => resolve()));
  silent.close();
  await db.$disconnect();
});

async function expectNothingStored() {
  expect(await db.node.count()).toBe(0);
  expect(await db.event.count({ where: { kind: { startsWith: "node." } } })).toBe(0);
}

describe("adding a node with bad input", () => {
  it("names the endpoint field for a malformed URL", async () => {
    const failure = await addNodeFailure({ name: "n1", endpoint: "htp:/127.0.0.1::2375" });

    expect(failure.fieldErrors.endpoint?.[0]).toMatch(/tcp:\/\/host:2375/);
    await expectNothingStored();
  });

  it("says nothing listens on an unreachable port", async () => {
    const port = await closedPort();
    const failure = await addNodeFailure({ name: "n1", endpoint: `tcp://127.0.0.1:${port}` });

    expect(failure.fieldErrors.endpoint?.[0]).toMatch(/Nothing accepts connections/);
    expect(failure.message).toMatch(/dockerd runs and listens/);
    await expectNothingStored();
  });

  it("gives up on an endpoint that accepts but never answers", async () => {
    const started = Date.now();
    const failure = await addNodeFailure({ name: "n1", endpoint: `tcp://127.0.0.1:${silentPort}` });

    expect(failure.fieldErrors.endpoint?.[0]).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(8000);
    await expectNothingStored();
  });

  it("says a plain web server is not a Docker engine", async () => {
    const endpoint = `tcp://127.0.0.1:${plainWebPort}`;
    const failure = await addNodeFailure({ name: "n1", endpoint });

    expect(failure.fieldErrors.endpoint?.[0]).toMatch(/not (as|with) .*Docker/);
    await expectNothingStored();
  });

  it.each(["a;rm -rf /", "../../etc/passwd", "node$(reboot)", "UPPER", "-dash", "x".repeat(64)])(
    "refuses the name %s",
    async (name) => {
      const failure = await addNodeFailure({ name, endpoint: "tcp://127.0.0.2:2375" });

      expect(failure.fieldErrors.name?.[0]).toBeDefined();
      await expectNothingStored();
    },
  );

  it("refuses a 1 MB label, naming the label, without echoing it", async () => {
    const failure = await addNodeFailure({
      name: "n1",
      endpoint: "tcp://127.0.0.2:2375",
      labels: { zone: "x".repeat(1024 * 1024) },
    });

    expect(failure.fieldErrors["labels.zone"]?.[0]).toMatch(/at most 256 characters/);
    expect(failure.message.length).toBeLessThan(500);
    await expectNothingStored();
  });

  it("refuses wrong types field by field", async () => {
    const failure = await addNodeFailure({ name: 42, endpoint: ["tcp://x"], labels: "zone=eu" });

    expect(Object.keys(failure.fieldErrors).sort()).toEqual(["endpoint", "labels", "name"]);
    await expectNothingStored();
  });

  it("refuses a body over the size limit without reading it all", async () => {
    const response = await fetch(`${api.url}/node.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ json: { name: "n1", endpoint: "x".repeat(MAX_REQUEST_BYTES) } }),
    });

    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/larger than 8 MiB, so none of it was read/);
    await expectNothingStored();
  });
});
