import { describe, expect, it } from "vitest";

import { type TAlertFacts, jsonPayload, payloadFor, slackPayload } from "./payload";
import { ZRuleInput, ZWebhookInput, isWebhookUrl } from "./schema";
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from "./webhooks";

const FIRED = new Date("2026-01-01T12:00:00Z");
const RESOLVED = new Date("2026-01-01T12:05:00Z");

const facts: TAlertFacts = {
  id: "al-1",
  ruleId: "rule-1",
  ruleName: "Node unreachable",
  kind: "nodeUnreachable",
  severity: "error",
  state: "resolved",
  subjectKey: "node:n-1",
  subjectName: "lab-2",
  message: "node lab-2 is unreachable <now>",
  firedAt: FIRED,
  resolvedAt: RESOLVED,
  acknowledgedAt: null,
};

describe("webhook payloads", () => {
  it("documents the alert in the JSON body", () => {
    expect(jsonPayload(facts, "resolved", RESOLVED)).toEqual({
      version: 1,
      event: "resolved",
      alert: {
        id: "al-1",
        state: "resolved",
        kind: "nodeUnreachable",
        severity: "error",
        message: "node lab-2 is unreachable <now>",
        subject: { type: "node", id: "n-1", name: "lab-2" },
        rule: { id: "rule-1", name: "Node unreachable" },
        firedAt: "2026-01-01T12:00:00.000Z",
        resolvedAt: "2026-01-01T12:05:00.000Z",
        acknowledgedAt: null,
      },
      sentAt: "2026-01-01T12:05:00.000Z",
    });
  });

  it("gives Slack text and blocks, escaped", () => {
    const body = slackPayload(facts, "fired");

    expect(body.text).toBe("[FIRING] Node unreachable: node lab-2 is unreachable &lt;now&gt;");
    expect(body.blocks).toHaveLength(2);
    expect(body.blocks[1]?.text.text).toContain("*Subject:* lab-2");
    expect(slackPayload(facts, "resolved").blocks[1]?.text.text).toContain("resolved 2026");
  });

  it("picks the body by format", () => {
    expect(payloadFor("slack", facts, "test", FIRED)).toHaveProperty("text");
    expect(payloadFor("json", facts, "test", FIRED)).toHaveProperty("version", 1);
  });
});

describe("retries", () => {
  it("doubles the wait after each failure, up to a minute", () => {
    const waits = Array.from({ length: MAX_DELIVERY_ATTEMPTS }, (_, i) => retryDelayMs(i + 1));

    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(retryDelayMs(20)).toBe(60_000);
  });
});

describe("input checks", () => {
  function messages(result: {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  }) {
    return (result.error?.issues ?? []).map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  }

  it("accepts http and https URLs only, and says what to give", () => {
    expect(isWebhookUrl("https://hooks.example.com/x")).toBe(true);
    expect(isWebhookUrl("http://127.0.0.1:9000/")).toBe(true);
    expect(isWebhookUrl("ftp://example.com/")).toBe(false);
    expect(isWebhookUrl("not a url")).toBe(false);
    const result = ZWebhookInput.safeParse({ name: "ops", url: "hooks.example.com" });

    expect(messages(result)).toEqual([
      "url: must be an http:// or https:// URL, e.g. https://hooks.example.com/berth",
    ]);
  });

  it("names the field and the allowed values of a rule", () => {
    expect(messages(ZRuleInput.safeParse({ name: "x", kind: "diskFull" }))[0]).toMatch(
      /^kind: must be one of nodeUnreachable, /,
    );
    expect(messages(ZRuleInput.safeParse({ name: "x", kind: "memoryAbove" }))).toEqual([
      "threshold: is required for memoryAbove: a percent of the memory limit, 1 to 100",
    ]);
    expect(
      messages(ZRuleInput.safeParse({ name: "x", kind: "memoryAbove", threshold: 150 })),
    ).toEqual(["threshold: must be a percent of the memory limit, 1 to 100"]);
    expect(
      messages(ZRuleInput.safeParse({ name: "x", kind: "nodeUnreachable", threshold: 3 })),
    ).toEqual(["threshold: is not used by nodeUnreachable; leave it empty"]);
    expect(
      messages(ZRuleInput.safeParse({ name: "x", kind: "restartLoop", forSeconds: -1 })),
    ).toEqual(["forSeconds: must be 0 or more"]);
    expect(ZRuleInput.parse({ name: "loops", kind: "restartLoop" }).threshold).toBeNull();
  });
});
