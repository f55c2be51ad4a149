import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "web";
const IMAGE = "berth-demo/web:1";
/** The reconciler starts replicas on the lab's engines; a cold start takes a few seconds. */
const CONVERGE_TIMEOUT_MS = 20_000;

type TAppSummary = { id: string; name: string; replicaCounts: Record<string, number> };

async function findApp(page: Page): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

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

test("deploy an app with a placement preview, see it run, then scale it down", async ({ page }) => {
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  await ensureNode(page, "lab-2", labEndpoint(2));

  await page.goto("/apps/new");
  await page.getByLabel("Name", { exact: true }).fill(APP);
  await page.getByLabel("Image", { exact: true }).fill(IMAGE);
  await page.getByLabel("Replicas", { exact: true }).fill("2");
  await page.getByLabel("Container port (optional)").fill("8080");

  // The dry run places both replicas before anything is written.
  const placements = page.getByTestId("preview-placement");
  await expect(placements).toHaveCount(2);
  await expect(page.getByTestId("preview-unplaced")).toHaveCount(0);
  await expect(placements.first()).toHaveAttribute("data-node-name", /^lab-[12]$/);

  await page.getByRole("button", { name: "Deploy app" }).click();
  await page.waitForURL(/\/apps\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(APP);
  await expect(page.getByTestId("desired-replicas")).toHaveText("2");
  await expect(page.getByTestId("running-replicas")).toHaveText("2", {
    timeout: CONVERGE_TIMEOUT_MS,
  });

  const scale = page.getByRole("form", { name: "Scale" });
  await scale.getByLabel("Replicas").fill("1");
  await scale.getByRole("button", { name: "Scale" }).click();
  await expect(page.getByTestId("desired-replicas")).toHaveText("1");
  await expect(page.getByTestId("app-revision")).toHaveText("revision 2");
  await expect(page.getByTestId("running-replicas")).toHaveText("1", {
    timeout: CONVERGE_TIMEOUT_MS,
  });
  await expect(page.getByTestId("revision-row")).toHaveCount(2);

  // The list shows the app with its new desired count.
  await page.goto("/apps");
  const row = page.getByTestId("app-row").filter({ hasText: APP });
  await expect(row).toContainText(IMAGE);
  await expect(row.getByTestId("running-of-desired")).toHaveText("1 / 1", {
    timeout: CONVERGE_TIMEOUT_MS,
  });
});
