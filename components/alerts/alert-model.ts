/**
 * The alerts page's pure pieces: how kinds read, what threshold each takes, and the rule form's
 * text fields turned into the procedure's input.
 */
import type { TRouterInputs, TRouterOutputs } from "@/components/trpc/client";

export type TAlertView = TRouterOutputs["alert"]["find"][number];
export type TRuleView = TRouterOutputs["alert"]["rule"]["find"][number];
export type TWebhookView = TRouterOutputs["alert"]["webhook"]["find"][number];
export type TDeliveryView = TRouterOutputs["alert"]["delivery"]["find"][number];
export type TRuleCreate = TRouterInputs["alert"]["rule"]["create"];
export type TAlertKind = TRuleView["kind"];

/** How often the badge asks for the number of firing, unacknowledged alerts. */
export const ALERT_COUNT_POLL_MS = 5000;
/** How often the alerts list and the delivery log refresh while open. */
export const ALERT_LIST_POLL_MS = 5000;

type TKindInfo = {
  label: string;
  /** What the threshold means, when the kind takes one. */
  threshold?: { label: string; hint: string; placeholder: string };
  isAboutNodes?: boolean;
};

export const KINDS: Record<TAlertKind, TKindInfo> = {
  nodeUnreachable: { label: "Node unreachable", isAboutNodes: true },
  replicaExited: { label: "Replica exited" },
  replicaUnhealthy: { label: "Replica unhealthy" },
  restartLoop: {
    label: "Restart loop",
    threshold: {
      label: "Restarts",
      hint: "Crash restarts in a row; 3 when empty.",
      placeholder: "3",
    },
  },
  replicaUnplaced: { label: "Replica cannot be placed" },
  cpuAbove: {
    label: "CPU above",
    threshold: {
      label: "CPU %",
      hint: "Percent of one core (200 = two cores).",
      placeholder: "90",
    },
  },
  memoryAbove: {
    label: "Memory above",
    threshold: { label: "Memory %", hint: "Percent of the memory limit.", placeholder: "90" },
  },
};

export const KIND_OPTIONS = Object.keys(KINDS) as TAlertKind[];

export function isAlertKind(value: string): value is TAlertKind {
  return value in KINDS;
}

export type TRuleForm = {
  name: string;
  kind: TAlertKind;
  threshold: string;
  forSeconds: string;
  appId: string;
  severity: "info" | "warning" | "error";
};

export const EMPTY_RULE_FORM: TRuleForm = {
  name: "",
  kind: "replicaExited",
  threshold: "",
  forSeconds: "0",
  appId: "",
  severity: "error",
};

/** A number field's text as a number; NaN for text that is not one, so the server names it. */
function numberOf(text: string): number | null {
  const trimmed = text.trim();

  return trimmed === "" ? null : Number(trimmed);
}

/** The form as the create procedure's input; fields a kind does not use are left out. */
export function ruleInputOf(form: TRuleForm): TRuleCreate {
  const info = KINDS[form.kind];

  return {
    name: form.name,
    kind: form.kind,
    threshold: info.threshold ? numberOf(form.threshold) : null,
    forSeconds: numberOf(form.forSeconds) ?? 0,
    appId: info.isAboutNodes || form.appId === "" ? null : form.appId,
    severity: form.severity,
  };
}

/** "CPU above 90% for 60 s, app web": a rule in one line. */
export function describeRule(rule: TRuleView): string {
  const info = KINDS[rule.kind];
  const threshold =
    rule.threshold === null
      ? ""
      : rule.kind === "restartLoop"
        ? ` ${rule.threshold} restarts`
        : ` ${rule.threshold}%`;
  const wait = rule.forSeconds > 0 ? ` for ${rule.forSeconds} s` : "";
  const scope = rule.appName ? `, app ${rule.appName}` : "";

  return `${info.label}${threshold}${wait}${scope}`;
}

export type TAlertStateFilter = "firing" | "resolved" | "all";

/** Badge text of an alert: firing, acknowledged (still firing) or resolved. */
export function alertStatus(alert: TAlertView): "firing" | "acknowledged" | "resolved" {
  if (alert.state === "resolved") {
    return "resolved";
  }

  return alert.acknowledgedAt ? "acknowledged" : "firing";
}

/** The badge's text: nothing at zero, "99+" past 99. */
export function badgeText(count: number): string | null {
  if (count <= 0) {
    return null;
  }

  return count > 99 ? "99+" : String(count);
}
