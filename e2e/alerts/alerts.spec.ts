import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "alerts-e2e";
const RULE = "E2E unplaced";
/** The evaluator runs every 2 s; the reconciler first has to find that no node fits. */
const FIRE_TIMEOUT_MS = 20_000;
const DELETE_TIMEOUT_MS = 30_000;

type TRule = {
  id: string;
  name: string;
  kind: string;
  threshold: number | null;
  forSeconds: number;
  appId: string | null;
  severity: string;
  isEnabled: boolean;
};

async function findApp(page: Page) {
  const apps = await trpc<{ id: string; name: string }[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

async function rules(page: Page) {
  return trpc<TRule[]>(page, "alert.rule.find", undefined, true);
}

async function setEnabled(page: Page, rule: TRule, isEnabled: boolean) {
  const { id, name, kind, threshold, forSeconds, appId, severity } = rule;
  await trpc(page, "alert.rule.update", {
    id,
    name,
    kind,
    threshold,
    forSeconds,
    appId,
    severity,
    isEnabled,
  });
}

async function unacknowledged(page: Page): Promise<number> {
  const count = await trpc<{ firingUnacknowledged: number }>(page, "alert.count", undefined, true);

  return count.firingUnacknowledged;
}

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  for (const rule of await rules(page)) {
    if (rule.name === RULE) {
      await trpc(page, "alert.rule.delete", { id: rule.id });
    } else if (!rule.isEnabled && rule.kind === "replicaUnplaced") {
      await setEnabled(page, rule, true);
    }
  }
  const app = await findApp(page);
  if (app) {
    await trpc(page, "app.delete", { id: app.id });
    await expect
      .poll(async () => (await findApp(page)) === undefined, { timeout: DELETE_TIMEOUT_MS })
      .toBe(true);
  }
  await page.close();
});

test("an unplaceable replica raises an alert; acknowledging it clears the badge", async ({
  page,
}) => {
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  // Only this test's rule may alert on the app, so the badge counts one alert for it.
  for (const rule of await rules(page)) {
    if (rule.kind === "replicaUnplaced" && rule.isEnabled) {
      await setEnabled(page, rule, false);
    }
  }
  const app = await trpc<{ id: string }>(page, "app.create", {
    name: APP,
    image: "berth-demo/web:1",
    placement: { constraints: [{ key: "zone", operator: "==", value: "nowhere" }] },
  });
  await trpc(page, "alert.rule.create", {
    name: RULE,
    kind: "replicaUnplaced",
    appId: app.id,
    severity: "warning",
  });

  await page.goto("/alerts");
  const row = page.locator(`[data-testid="alert-row"][data-alert-rule="${RULE}"]`);
  await expect(row).toHaveCount(1, { timeout: FIRE_TIMEOUT_MS });
  await expect(row.getByTestId("alert-status")).toHaveText("firing");
  await expect(row).toContainText(`replica 0 of ${APP} cannot be placed`);
  const badge = page.getByTestId("alerts-badge");
  const before = await unacknowledged(page);

  expect(before).toBeGreaterThanOrEqual(1);
  await expect(badge).toHaveAttribute("data-count", String(before));

  await row.getByRole("button", { name: /^Acknowledge/ }).click();
  await expect(row.getByTestId("alert-status")).toHaveText("acknowledged");
  await expect(row).toContainText("acknowledged by admin");
  await expect(badge).toHaveAttribute("data-count", String(before - 1));
});

test("rules and webhooks can be managed, and bad input is named", async ({ page }) => {
  await signIn(page);
  await page.goto("/alerts");
  await page.getByRole("tab", { name: "Rules" }).click();
  await expect(
    page.locator('[data-testid="rule-row"][data-rule-name="Node unreachable"]'),
  ).toBeVisible();

  await page.getByRole("tab", { name: "Webhooks" }).click();
  const form = page.getByRole("form", { name: "Add webhook" });
  await form.getByLabel("Webhook name").fill("e2e-hook");
  await form.getByLabel("URL").fill("hooks.example.com");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText("must be an http:// or https:// URL")).toBeVisible();

  // A loopback address nothing listens on: the hook is stored, never reached off this machine.
  await form.getByLabel("URL").fill("http://127.0.0.1:9/berth");
  await form.getByRole("button", { name: "Add webhook" }).click();
  const hook = page.locator('[data-testid="webhook-row"][data-webhook-name="e2e-hook"]');
  await expect(hook).toBeVisible();
  await hook.getByRole("button", { name: "Delete webhook e2e-hook" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete webhook" }).click();
  await expect(hook).toHaveCount(0);
});
