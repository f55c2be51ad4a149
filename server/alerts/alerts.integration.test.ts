/**
 * Alerts on the lab: a killed node fires a nodeUnreachable alert, webhooks on loopback receive
 * it (one after failing twice), it resolves after revive, and /metrics wants a token.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TController } from "@/server/controller";
import type { PrismaClient } from "@/server/db/generated/client";
import { logger } from "@/server/logger";
import { serveMetrics } from "@/server/metrics/http";
import { labEndpoint } from "@/server/test/config";
import {
  callerFor,
  createPrincipal,
  lab,
  openTestDb,
  refusal,
  waitFor,
} from "@/server/test/harness";
import { startTestController } from "@/server/test/lab";

import type { TJsonPayload } from "./payload";
import { seedDefaultRules } from "./rules";

type TReceived = { path: string; body: TJsonPayload };

/** A webhook receiver on loopback; `/flaky` answers 500 to its first `failures` requests. */
async function startReceiver(failures: number) {
  const received: TReceived[] = [];
  let failuresLeft = failures;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      if (path === "/flaky" && failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500).end("not now");

        return;
      }
      received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString()) as TJsonPayload });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let db: PrismaClient;
let admin: ReturnType<typeof callerFor>;
let controller: TController | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  db = await openTestDb();
  admin = callerFor(db, await createPrincipal(db, "admin"));
  receiver = await startReceiver(2);
  for (const k of [1, 2, 3]) {
    await admin.node.create({ name: `lab-${k}`, endpoint: labEndpoint(k), labels: {} });
  }
  // Only this file's rule: the defaults are made (once per database) and then removed.
  await seedDefaultRules(db);
  await db.alertRule.deleteMany();
  await admin.alert.rule.create({ name: "Node down", kind: "nodeUnreachable" });
  await admin.alert.webhook.create({ name: "ops", url: `${receiver.url}/hook`, format: "json" });
  await admin.alert.webhook.create({ name: "flaky", url: `${receiver.url}/flaky` });
  controller = startTestController(db);
  await waitFor("controller leadership", () => (controller?.isLeader() ? true : undefined));
});

afterAll(async () => {
  await controller?.stop();
  // Leave the lab whole for the next test file even if an assertion failed.
  await lab("revive", "2");
  await receiver.close();
  await db.$disconnect();
});

describe("alerts on the lab", () => {
  it("fires on a killed node, posts webhooks with retries, resolves after revive", async () => {
    await lab("kill-node", "2");
    const alert = await waitFor(
      "a firing alert for lab-2",
      async () => {
        const alerts = await admin.alert.find({ state: "firing" });

        return alerts.find((a) => a.subjectName === "lab-2");
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );

    expect(alert.kind).toBe("nodeUnreachable");
    expect(alert.message).toBe("node lab-2 is unreachable");
    expect((await admin.alert.count()).firingUnacknowledged).toBe(1);
    const fired = await waitFor(
      "the fired payload",
      () => receiver.received.find((r) => r.path === "/hook" && r.body.event === "fired"),
      { timeoutMs: 10_000 },
    );

    expect(fired.body.alert).toMatchObject({
      id: alert.id,
      state: "firing",
      kind: "nodeUnreachable",
      subject: { type: "node", name: "lab-2" },
      rule: { name: "Node down" },
      resolvedAt: null,
    });
    const [event] = await admin.event.find({ kindPrefix: "alert.fired", limit: 1 });

    expect(event?.message).toContain("lab-2");

    // The flaky receiver answers 500 twice; backoff retries after 1 s, then 2 s.
    const flaky = await waitFor(
      "the flaky delivery",
      async () => {
        const deliveries = await admin.alert.delivery.find({ alertId: alert.id });

        return deliveries.find((d) => d.webhookName === "flaky" && d.state === "delivered");
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );

    expect(flaky).toMatchObject({ attempts: 3, statusCode: 204, error: null, event: "fired" });
    expect(flaky.tries.map((entry) => [entry.number, entry.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 204],
    ]);

    await admin.alert.acknowledge({ id: alert.id });

    expect((await admin.alert.count()).firingUnacknowledged).toBe(0);

    await lab("revive", "2");
    const resolved = await waitFor(
      "the resolved payload",
      () => receiver.received.find((r) => r.path === "/hook" && r.body.event === "resolved"),
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    expect(resolved.body.alert.state).toBe("resolved");
    expect(resolved.body.alert.resolvedAt).not.toBeNull();
    const [after] = await admin.alert.find({ state: "all" });

    expect(after).toMatchObject({ id: alert.id, state: "resolved" });
    expect(after?.acknowledgedByName).toMatch(/^admin-/);
  });

  it("sends a test payload on request", async () => {
    const [hook] = (await admin.alert.webhook.find()).filter((w) => w.name === "ops");
    const result = await admin.alert.webhook.test({ id: hook?.id ?? "" });

    expect(result).toEqual({ isDelivered: true, statusCode: 204, error: null });
    expect(receiver.received.some((r) => r.body.event === "test")).toBe(true);
  });

  it("refuses a webhook address that is not an http URL, naming the field", async () => {
    const error = await refusal(
      admin.alert.webhook.create({ name: "bad", url: "hooks.example.com/x" }),
    );

    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("must be an http:// or https:// URL");
  });

  it("keeps viewers from changing rules and from seeing webhooks", async () => {
    const viewer = callerFor(db, await createPrincipal(db, "viewer"));
    const operator = callerFor(db, await createPrincipal(db, "operator"));

    expect(
      (await refusal(viewer.alert.rule.create({ name: "x", kind: "replicaExited" }))).code,
    ).toBe("FORBIDDEN");
    expect((await refusal(operator.alert.webhook.find())).code).toBe("FORBIDDEN");
    const { id } = await operator.alert.rule.create({
      name: "Hot",
      kind: "cpuAbove",
      threshold: 90,
      forSeconds: 60,
    });
    const rules = await viewer.alert.rule.find();

    expect(rules.find((rule) => rule.id === id)).toMatchObject({ threshold: 90, firingCount: 0 });
    await operator.alert.rule.delete({ id });
  });
});

describe("GET /metrics", () => {
  it("refuses without a token and serves the exposition text with one", async () => {
    const server = http.createServer(
      (req, res) => void serveMetrics({ db, log: logger() }, req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    try {
      const anonymous = await fetch(url);

      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).toContain("Authorization: Bearer berth_");
      const wrong = await fetch(url, { headers: { authorization: "Bearer berth_nope" } });

      expect(wrong.status).toBe(401);
      const { token } = await admin.token.create({ name: "prometheus", role: "viewer" });
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      const text = await scraped.text();

      expect(scraped.status).toBe(200);
      expect(scraped.headers.get("content-type")).toContain("text/plain");
      expect(text).toMatch(/^berth_nodes\{health="ready"\} 3$/m);
      expect(text).toContain("berth_alerts_firing{severity=");
      expect(text).toContain("berth_apps 0");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
