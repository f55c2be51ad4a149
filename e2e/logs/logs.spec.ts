import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "log-talker";
/** The reconciler starts and stops replicas on the lab's engines within seconds. */
const CONVERGE_TIMEOUT_MS = 30_000;
/** A beat every 200 ms, stopping by itself after this many. */
const MAX_BEATS = 3000;
const SCRIPT = [
  'echo "hello from $(hostname)"',
  'echo "something went wrong, a line long enough to wrap on a phone screen: ' +
    `${"abcdefghij".repeat(12)}" >&2`,
  `(n=0; while [ $n -lt ${MAX_BEATS} ]; do n=$((n+1)); echo "beat $n"; sleep 0.2; done) &`,
  "exec /start.sh",
].join("\n");

type TAppSummary = { id: string; name: string; replicaCounts: Record<string, number> };

async function findApp(page: Page): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/** The highest beat number the log view shows. */
async function lastBeat(page: Page): Promise<number> {
  const texts = await page.getByTestId("log-line").filter({ hasText: "beat" }).allTextContents();

  return Math.max(0, ...texts.map((text) => Number(/beat (\d+)/.exec(text)?.[1] ?? 0)));
}

test.describe.configure({ mode: "serial" });

let appId = "";

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  await ensureNode(page, "lab-2", labEndpoint(2));
  const existing = await findApp(page);
  if (existing) {
    appId = existing.id;
    await trpc(page, "app.scale", { id: appId, replicas: 2 });
  } else {
    const app = await trpc<{ id: string }>(page, "app.create", {
      name: APP,
      image: "berth-demo/web:1",
      replicas: 2,
      command: ["/bin/sh"],
      args: ["-c", SCRIPT],
    });
    appId = app.id;
  }
  await expect
    .poll(async () => (await findApp(page))?.replicaCounts.running ?? 0, {
      timeout: CONVERGE_TIMEOUT_MS,
    })
    .toBe(2);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  if (appId) {
    await trpc(page, "app.scale", { id: appId, replicas: 0 });
    await expect
      .poll(async () => (await findApp(page))?.replicaCounts.running ?? 0, {
        timeout: CONVERGE_TIMEOUT_MS,
      })
      .toBe(0);
  }
  await page.close();
});

test("the app page shows live log lines of every replica, tagged, stderr marked", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const logs = page.getByRole("region", { name: "Logs" });
  await expect(logs.getByTestId("log-tail-state")).toHaveText("live");
  await expect(logs.getByTestId("log-line").filter({ hasText: "hello from" })).toHaveCount(2);
  await expect(logs.locator('[data-stream="stderr"]').first()).toContainText("went wrong");
  await expect(logs.getByTestId("log-line").first()).toContainText(/#[01] lab-[12]/);

  const before = await lastBeat(page);
  await expect.poll(() => lastBeat(page), { timeout: 5000 }).toBeGreaterThan(before);

  await logs.getByRole("button", { name: "Pause" }).click();
  await expect(logs.getByTestId("log-waiting")).toContainText(/[1-9]\d* new lines waiting/);
  await logs.getByRole("button", { name: "Resume" }).click();
  await expect(logs.getByTestId("log-waiting")).toHaveCount(0);
});

test("search finds stored lines and offers a download", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}/logs`);
  const logs = page.getByRole("region", { name: "Logs of every replica" });
  await logs.getByRole("tab", { name: "Search" }).click();
  await logs.getByLabel("Text").fill("hello from");
  await logs.getByRole("button", { name: "Search" }).click();
  await expect(logs.getByTestId("log-line")).toHaveCount(2);
  const href = await logs.getByTestId("log-download").getAttribute("href");
  expect(href).toContain("q=hello+from");
  const response = await page.request.get(href ?? "");
  expect(response.status()).toBe(200);
  expect(await response.text()).toMatch(/hello from/);

  await logs.getByLabel("Regular expression (case-insensitive)").check();
  await logs.getByLabel("Regular expression", { exact: true }).fill("beat (");
  await expect(logs.getByText("is not a valid regular expression")).toBeVisible();
});

test("one replica's logs are reachable from the replicas panel", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  await page.getByTestId("replica-logs-link").first().click();
  await page.waitForURL(/\/logs\?replica=/);
  const logs = page.getByRole("region", { name: "Logs of one replica" });
  await expect(logs.getByTestId("log-line").filter({ hasText: "hello from" })).toHaveCount(1);
});

test("at 390×844 the log views wrap and never scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const logs = page.getByRole("region", { name: "Logs" });
  await expect(logs.locator('[data-stream="stderr"]').first()).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

  await page.goto(`/apps/${appId}/logs`);
  await expect(page.getByTestId("log-line").first()).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
  await page.getByRole("tab", { name: "Search" }).click();
  await expect(page.getByRole("button", { name: "Search" })).toBeVisible();
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
});
