/**
 * The bodies Berth posts to webhooks. The JSON body is documented in the README; the Slack body
 * is what Slack's (and Mattermost's, Discord's /slack) incoming webhooks accept.
 */
import type { AlertKind, Severity, WebhookFormat } from "@/server/db/generated/client";

/** What happened to the alert: it started firing, or it resolved; "test" for a test send. */
export type TAlertEvent = "fired" | "resolved" | "test";

export type TAlertFacts = {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertKind;
  severity: Severity;
  state: "firing" | "resolved";
  subjectKey: string;
  subjectName: string;
  message: string;
  firedAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
};

export type TJsonPayload = {
  version: 1;
  event: TAlertEvent;
  alert: {
    id: string;
    state: "firing" | "resolved";
    kind: AlertKind;
    severity: Severity;
    message: string;
    subject: { type: string; id: string; name: string };
    rule: { id: string; name: string };
    firedAt: string;
    resolvedAt: string | null;
    acknowledgedAt: string | null;
  };
  sentAt: string;
};

export type TSlackPayload = {
  text: string;
  blocks: { type: "section"; text: { type: "mrkdwn"; text: string } }[];
};

/** "node:<id>" into its type and id. */
function subjectOf(facts: TAlertFacts): { type: string; id: string; name: string } {
  const [type = "", ...rest] = facts.subjectKey.split(":");

  return { type, id: rest.join(":"), name: facts.subjectName };
}

export function jsonPayload(facts: TAlertFacts, event: TAlertEvent, now: Date): TJsonPayload {
  return {
    version: 1,
    event,
    alert: {
      id: facts.id,
      state: facts.state,
      kind: facts.kind,
      severity: facts.severity,
      message: facts.message,
      subject: subjectOf(facts),
      rule: { id: facts.ruleId, name: facts.ruleName },
      firedAt: facts.firedAt.toISOString(),
      resolvedAt: facts.resolvedAt?.toISOString() ?? null,
      acknowledgedAt: facts.acknowledgedAt?.toISOString() ?? null,
    },
    sentAt: now.toISOString(),
  };
}

/** Slack's mrkdwn treats &, < and > as markup. */
function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const HEADLINE: Record<TAlertEvent, string> = {
  fired: "FIRING",
  resolved: "RESOLVED",
  test: "TEST",
};

export function slackPayload(facts: TAlertFacts, event: TAlertEvent): TSlackPayload {
  const headline = `[${HEADLINE[event]}] ${escapeSlack(facts.ruleName)}: ${escapeSlack(
    facts.message,
  )}`;
  const times =
    event === "resolved" && facts.resolvedAt
      ? `fired ${facts.firedAt.toISOString()}, resolved ${facts.resolvedAt.toISOString()}`
      : `fired ${facts.firedAt.toISOString()}`;
  const details = [
    `*Subject:* ${escapeSlack(facts.subjectName)}`,
    `*Severity:* ${facts.severity}`,
    `*Kind:* ${facts.kind}`,
    `*When:* ${times}`,
  ].join("\n");

  return {
    text: headline,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${headline}*` } },
      { type: "section", text: { type: "mrkdwn", text: details } },
    ],
  };
}

/** The request body for a webhook of `format`. */
export function payloadFor(
  format: WebhookFormat,
  facts: TAlertFacts,
  event: TAlertEvent,
  now: Date,
): TJsonPayload | TSlackPayload {
  return format === "slack" ? slackPayload(facts, event) : jsonPayload(facts, event, now);
}
