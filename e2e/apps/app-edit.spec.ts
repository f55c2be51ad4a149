import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "web-edit";
const IMAGE_V1 = "berth-demo/web:1";
const IMAGE_V2 = "berth-demo/web:2";
/** The reconciler stops replicas on the lab's engines; that takes a few seconds. */
const CONVERGE_TIMEOUT_MS = 20_000;

type TAppSummary = { id: string; name: string; replicaCounts: Record<string, number> };
type TAppView = { id: string; spec: { image: string }; revision: { number: number } };

async function findApp(page: Page): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

// The second test edits the app the first one deploys.
test.describe.configure({ mode: "serial" });

test.afterAll(async ({ browser }) => {
  // Stop the app's replicas through the API, whatever happened above, so later specs see
  // clean nodes.
  const page = await browser.newPage();
  await signIn(page);
  const app = await findApp(page);
  if (app) {
    await trpc(page, "app.scale", { id: app.id, replicas: 0 });
    await expect
      .poll(async () => (await findApp(page))?.replicaCounts.running ?? 0, {
        timeout: CONVERGE_TIMEOUT_MS,
      })
      .toBe(0);
  }
  await page.close();
});

test("deploy an app with a health check, change its image, see the diff, update", async ({
  page,
}) => {
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  await ensureNode(page, "lab-2", labEndpoint(2));

  await page.goto("/apps/new");
  await page.getByLabel("Name", { exact: true }).fill(APP);
  await page.getByLabel("Image", { exact: true }).fill(IMAGE_V1);
  await page.getByLabel("Port 1 container port (optional)").fill("8080");
  await page.locator("summary", { hasText: "Health check" }).click();
  await page.getByLabel("Health check", { exact: true }).selectOption("http");
  await page.getByLabel("Health check path").fill("/health");
  // The probe's port is taken from the first TCP port.
  await expect(page.getByLabel("Health check port")).toHaveValue("8080");
  await expect(page.getByTestId("preview-placement")).toHaveCount(1);
  await page.getByRole("button", { name: "Deploy app" }).click();
  await page.waitForURL(/\/apps\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/").at(-1) ?? "";

  await page.goto(`/apps/${id}/edit`);
  const form = page.getByRole("form", { name: "Update app" });
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue(APP);
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("readonly", "");
  await expect(form.getByLabel("Health check path")).toHaveValue("/health");
  await expect(page.getByTestId("diff-line")).toHaveCount(0);

  await form.getByLabel("Image", { exact: true }).fill(IMAGE_V2);
  const lines = page.getByTestId("diff-line");
  await expect(lines).toHaveCount(1);
  await expect(lines.first()).toHaveText(`~image: ${IMAGE_V1} → ${IMAGE_V2}`);

  await form.getByRole("button", { name: "Update app" }).click();
  await page.waitForURL(new RegExp(`/apps/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(APP);
  const app = await trpc<TAppView>(page, "app.get", { id }, true);
  expect(app.spec.image).toBe(IMAGE_V2);
  expect(app.revision.number).toBe(2);
});

test("a health check timeout not shorter than its interval is refused on its field", async ({
  page,
}) => {
  await signIn(page);
  const app = await findApp(page);
  expect(app, `${APP} was deployed by the test before`).toBeDefined();

  await page.goto(`/apps/${app?.id}/edit`);
  const form = page.getByRole("form", { name: "Update app" });
  await form.getByLabel("Interval (ms)").fill("1000");
  await form.getByLabel("Timeout (ms)").fill("1000");
  await form.getByRole("button", { name: "Update app" }).click();

  const timeout = form.getByLabel("Timeout (ms)");
  await expect(timeout).toHaveAttribute("aria-invalid", "true");
  await expect(timeout).toHaveAccessibleDescription(/must be shorter than intervalMs \(1 s\)/);
  await expect(form.getByLabel("Interval (ms)")).not.toHaveAttribute("aria-invalid", "true");
  // Nothing was written: the page stays, and the app keeps its revision.
  await expect(page).toHaveURL(new RegExp(`/apps/${app?.id}/edit$`));
  const current = await trpc<TAppView>(page, "app.get", { id: app?.id }, true);
  expect(current.revision.number).toBe(2);

  await form.getByLabel("Timeout (ms)").fill("500");
  await expect(timeout).not.toHaveAttribute("aria-invalid", "true");
});

test("the edit page fits a phone with every section open", async ({ page }) => {
  await signIn(page);
  const app = await findApp(page);
  expect(app, `${APP} was deployed by the test before`).toBeDefined();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/apps/${app?.id}/edit`);
  const form = page.getByRole("form", { name: "Update app" });
  await expect(form).toBeVisible();
  // Each click opens one section, so the first closed one is a different section every time.
  const closed = form.locator("details:not([open])");
  for (let left = await closed.count(); left > 0; left -= 1) {
    await closed.first().locator("summary").click();
    await expect(closed).toHaveCount(left - 1);
  }
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `the edit page scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
});
