/** Inputs and views of alerts, rules, webhooks and deliveries, checked on both sides. */
import { z } from "zod";

import { AlertKind } from "@/server/db/generated/enums";

export const ALERT_KINDS = Object.values(AlertKind);
const SEVERITIES = ["info", "warning", "error"] as const;
const FORMATS = ["json", "slack"] as const;
/** A day: longer waits are better served by a report than an alert. */
export const MAX_FOR_SECONDS = 86_400;

export const ZAlertKind = z.enum(ALERT_KINDS, {
  error: `must be one of ${ALERT_KINDS.join(", ")}`,
});
export const ZSeverity = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(", ")}` });
export const ZWebhookFormat = z.enum(FORMATS, { error: `must be one of ${FORMATS.join(", ")}` });

/** Allowed thresholds per kind; kinds not listed take none. */
const THRESHOLDS: Partial<Record<AlertKind, { min: number; max: number; what: string }>> = {
  restartLoop: { min: 1, max: 1000, what: "a whole number of crash restarts, 1 to 1000" },
  cpuAbove: { min: 1, max: 10_000, what: "a CPU percent of one core, 1 to 10000" },
  memoryAbove: { min: 1, max: 100, what: "a percent of the memory limit, 1 to 100" },
};

/** Kinds about nodes: an app scope means nothing to them. */
const NODE_KINDS: readonly AlertKind[] = ["nodeUnreachable"];

const ZRuleFields = z.object({
  name: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(64, "must be at most 64 characters"),
  kind: ZAlertKind,
  threshold: z.number({ error: "must be a number" }).nullable().default(null),
  forSeconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(0, "must be 0 or more")
    .max(MAX_FOR_SECONDS, `must be at most ${MAX_FOR_SECONDS} (one day)`)
    .default(0),
  appId: z.uuid("must be an app id").nullable().default(null),
  severity: ZSeverity.default("error"),
  isEnabled: z.boolean().default(true),
});

type TRuleFields = z.infer<typeof ZRuleFields>;

function checkRule(rule: TRuleFields, ctx: z.RefinementCtx): void {
  const allowed = THRESHOLDS[rule.kind];
  if (!allowed && rule.threshold !== null) {
    ctx.addIssue({
      code: "custom",
      path: ["threshold"],
      message: `is not used by ${rule.kind}; leave it empty`,
    });
  }
  if (allowed && rule.kind !== "restartLoop" && rule.threshold === null) {
    ctx.addIssue({
      code: "custom",
      path: ["threshold"],
      message: `is required for ${rule.kind}: ${allowed.what}`,
    });
  }
  const value = rule.threshold;
  const isWhole = rule.kind !== "restartLoop" || value === null || Number.isInteger(value);
  if (allowed && value !== null && (value < allowed.min || value > allowed.max || !isWhole)) {
    ctx.addIssue({ code: "custom", path: ["threshold"], message: `must be ${allowed.what}` });
  }
  if (NODE_KINDS.includes(rule.kind) && rule.appId !== null) {
    ctx.addIssue({
      code: "custom",
      path: ["appId"],
      message: `${rule.kind} is about nodes, not apps; leave it empty`,
    });
  }
}

export const ZRuleInput = ZRuleFields.superRefine(checkRule);
export const ZRuleUpdate = ZRuleFields.extend({ id: z.uuid("must be a rule id") }).superRefine(
  checkRule,
);
export type TRuleInput = z.infer<typeof ZRuleInput>;

export const ZRuleView = z.object({
  id: z.string(),
  name: z.string(),
  kind: ZAlertKind,
  threshold: z.number().nullable(),
  forSeconds: z.number(),
  appId: z.string().nullable(),
  appName: z.string().nullable(),
  severity: ZSeverity,
  isEnabled: z.boolean(),
  firingCount: z.number(),
  createdAt: z.date(),
});
export type TRuleView = z.infer<typeof ZRuleView>;

const URL_HINT = "e.g. https://hooks.example.com/berth";

/** True for an absolute http or https URL with a host. */
export function isWebhookUrl(text: string): boolean {
  if (!URL.canParse(text)) {
    return false;
  }
  const url = new URL(text);

  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

const ZWebhookFields = z.object({
  name: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(64, "must be at most 64 characters"),
  url: z
    .string({ error: "is required" })
    .trim()
    .min(1, `is required: an http:// or https:// address, ${URL_HINT}`)
    .max(2048, "must be at most 2048 characters")
    .refine(isWebhookUrl, `must be an http:// or https:// URL, ${URL_HINT}`),
  format: ZWebhookFormat.default("json"),
  isEnabled: z.boolean().default(true),
});

export const ZWebhookInput = ZWebhookFields;
export const ZWebhookUpdate = ZWebhookFields.extend({ id: z.uuid("must be a webhook id") });
export type TWebhookInput = z.infer<typeof ZWebhookInput>;

export const ZWebhookView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  format: ZWebhookFormat,
  isEnabled: z.boolean(),
  createdAt: z.date(),
});

export const ZAlertView = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  kind: ZAlertKind,
  severity: ZSeverity,
  subjectKey: z.string(),
  subjectName: z.string(),
  state: z.enum(["firing", "resolved"]),
  message: z.string(),
  firedAt: z.date(),
  resolvedAt: z.date().nullable(),
  acknowledgedAt: z.date().nullable(),
  acknowledgedByName: z.string().nullable(),
});
export type TAlertView = z.infer<typeof ZAlertView>;

export const ZAlertFilter = z.object({
  state: z.enum(["firing", "resolved", "all"]).default("all"),
  isAcknowledged: z.boolean().optional(),
  ruleId: z.uuid("must be a rule id").optional(),
  limit: z.number().int().min(1).max(500).default(200),
});
export type TAlertFilter = z.infer<typeof ZAlertFilter>;

export const ZDeliveryView = z.object({
  id: z.string(),
  webhookId: z.string(),
  webhookName: z.string(),
  alertId: z.string(),
  alertMessage: z.string(),
  event: z.string(),
  state: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number(),
  nextAttemptAt: z.date(),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.date(),
  deliveredAt: z.date().nullable(),
  /** Every try, oldest first: when, how long, and what came back. */
  tries: z.array(
    z.object({
      number: z.number().int(),
      at: z.date(),
      durationMs: z.number().int(),
      statusCode: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
});

export const ZTestResult = z.object({
  isDelivered: z.boolean(),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
});
export type TTestResult = z.infer<typeof ZTestResult>;
