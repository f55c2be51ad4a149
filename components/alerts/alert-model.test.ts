import { describe, expect, it } from "vitest";

import {
  EMPTY_RULE_FORM,
  type TAlertView,
  type TRuleView,
  alertStatus,
  badgeText,
  describeRule,
  ruleInputOf,
} from "./alert-model";

describe("rule form", () => {
  it("leaves out the threshold of kinds that take none and the app of node kinds", () => {
    expect(
      ruleInputOf({
        ...EMPTY_RULE_FORM,
        name: "down",
        kind: "nodeUnreachable",
        threshold: "5",
        appId: "a",
      }),
    ).toEqual({
      name: "down",
      kind: "nodeUnreachable",
      threshold: null,
      forSeconds: 0,
      appId: null,
      severity: "error",
    });
  });

  it("turns number fields into numbers, and bad text into NaN for the server to name", () => {
    const input = ruleInputOf({
      ...EMPTY_RULE_FORM,
      kind: "cpuAbove",
      threshold: " 90 ",
      forSeconds: "60",
      appId: "app-1",
    });

    expect(input).toMatchObject({ threshold: 90, forSeconds: 60, appId: "app-1" });
    expect(
      ruleInputOf({ ...EMPTY_RULE_FORM, kind: "cpuAbove", threshold: "lots" }).threshold,
    ).toBeNaN();
  });
});

describe("labels", () => {
  const rule: TRuleView = {
    id: "r",
    name: "Hot",
    kind: "cpuAbove",
    threshold: 90,
    forSeconds: 60,
    appId: "a",
    appName: "web",
    severity: "warning",
    isEnabled: true,
    firingCount: 0,
    createdAt: new Date(0),
  };

  it("describes a rule in one line", () => {
    expect(describeRule(rule)).toBe("CPU above 90% for 60 s, app web");
    expect(
      describeRule({ ...rule, kind: "restartLoop", threshold: 3, forSeconds: 0, appName: null }),
    ).toBe("Restart loop 3 restarts");
  });

  it("tells firing, acknowledged and resolved apart", () => {
    const alert = { state: "firing", acknowledgedAt: null } as TAlertView;

    expect(alertStatus(alert)).toBe("firing");
    expect(alertStatus({ ...alert, acknowledgedAt: new Date() })).toBe("acknowledged");
    expect(alertStatus({ ...alert, state: "resolved" })).toBe("resolved");
  });

  it("hides the badge at zero and caps it", () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(7)).toBe("7");
    expect(badgeText(140)).toBe("99+");
  });
});
