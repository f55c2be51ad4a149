import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "stats-burn";
const IMAGE = "berth-demo/cpu:1";
const CONVERGE_TIMEOUT_MS = 30_000;
const DELETE_TIMEOUT_MS = 30_000;
/** The live stream gives a point a second; a few seconds show the chart moving. */
const MOVE_TIMEOUT_MS = 10_000;
/** A replica's first collector round only primes it: the second, 10 s later, writes a sample. */
const SAMPLE_TIMEOUT_MS = 40_000;
/** A busy burner reads tens of percent of a core. */
const BUSY_CPU = /^\d{2,3}(\.\d)? %$/;
const SOME_MEMORY = /^\d+(\.\d)? (B|KiB|MiB|GiB) · \d+ %$/;

type TAppSummary = { id: string; name: string };

async function findApp(page: Page): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

async function pointCount(page: Page): Promise<number> {
  const text = await page.getByTestId("stats-point-count").first().textContent();

  return Number(/(\d+)/.exec(text ?? "")?.[1] ?? 0);
}

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  const app = await findApp(page);
  if (app) {
    await trpc(page, "app.delete", { id: app.id });
    await expect
      .poll(async () => (await findApp(page)) === undefined, { timeout: DELETE_TIMEOUT_MS })
      .toBe(true);
  }
  await page.close();
});

test("the app page charts real points, and new ones keep arriving", async ({ page }) => {
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  const app =
    (await findApp(page)) ??
    (await trpc<TAppSummary>(page, "app.create", { name: APP, image: IMAGE, replicas: 1 }));

  await page.goto(`/apps/${app.id}`);
  await expect(page.locator('[data-testid="replica-row"][data-state="running"]')).toHaveCount(1, {
    timeout: CONVERGE_TIMEOUT_MS,
  });

  const panel = page.getByRole("region", { name: "Resource use" });
  await expect(panel.getByTestId("stat-chart")).toHaveCount(4);
  await expect(panel.getByTestId("stats-live-state")).toHaveText("live", {
    timeout: MOVE_TIMEOUT_MS,
  });
  // Drawn lines: Recharts renders each series as an svg path once it has points.
  await expect(panel.locator(".recharts-area-curve").first()).toBeVisible();

  await expect.poll(() => pointCount(page), { timeout: MOVE_TIMEOUT_MS }).toBeGreaterThan(1);
  const before = await pointCount(page);
  await expect.poll(() => pointCount(page), { timeout: MOVE_TIMEOUT_MS }).toBeGreaterThan(before);

  // The CPU axis reads tens of percent: the burner's real load, not a flat zero.
  const cpuChart = panel.getByTestId("stat-chart").first();
  await expect(cpuChart).toContainText(/\d{2,3}(\.\d)? %/);

  // Switching range keeps the chart (history plus live), the long ranges too.
  for (const range of ["Live", "24 h", "7 days", "15 min"]) {
    const button = panel.getByRole("button", { name: range, exact: true });
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect(panel.getByText("History failed to load")).toHaveCount(0);
    await expect.poll(() => pointCount(page), { timeout: MOVE_TIMEOUT_MS }).toBeGreaterThan(1);
  }
});

test("the apps, replicas and nodes lists show current CPU and memory", async ({ page }) => {
  test.setTimeout(SAMPLE_TIMEOUT_MS * 3);
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  const app =
    (await findApp(page)) ??
    (await trpc<TAppSummary>(page, "app.create", { name: APP, image: IMAGE, replicas: 1 }));

  await page.goto("/apps");
  const appRow = page.locator(`[data-testid="app-row"][data-app-name="${APP}"]`);
  await expect(appRow.getByTestId("current-cpu")).toHaveText(BUSY_CPU, {
    timeout: SAMPLE_TIMEOUT_MS,
  });
  await expect(appRow.getByTestId("current-memory")).toHaveText(SOME_MEMORY);

  await page.goto(`/apps/${app.id}`);
  const replicaRow = page.locator('[data-testid="replica-row"][data-state="running"]').first();
  await expect(replicaRow.getByTestId("current-cpu")).toHaveText(BUSY_CPU, {
    timeout: SAMPLE_TIMEOUT_MS,
  });
  await expect(replicaRow.getByTestId("current-memory")).toHaveText(SOME_MEMORY);
  // Other specs add more lab nodes: the burner's node is whichever the scheduler chose.
  const nodeName = await replicaRow.getAttribute("data-node-name");
  expect(nodeName).toMatch(/^lab-\d$/);

  await page.goto("/nodes");
  const nodeRow = page.locator(`[data-testid="node-row"][data-node-name="${nodeName}"]`);
  await expect(nodeRow.getByTestId("current-cpu")).toHaveText(BUSY_CPU, {
    timeout: SAMPLE_TIMEOUT_MS,
  });
  await expect(nodeRow.getByTestId("current-memory")).toHaveText(SOME_MEMORY);
});
