import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "web";
const IMAGE = "berth-demo/web:1";
/** The reconciler starts replicas on the lab's engines; a cold start takes a few seconds. */
const CONVERGE_TIMEOUT_MS = 20_000;
/** Deleting stops every replica first, then removes the app. */
const DELETE_TIMEOUT_MS = 30_000;

type TAppSummary = { id: string; name: string; replicaCounts: Record<string, number> };

async function findApp(page: Page): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

test.afterAll(async ({ browser }) => {
  // Delete the app through the API if the test left it, so later specs see clean nodes.
  const page = await browser.newPage();
  await signIn(page);
  const app = await findApp(page);
  if (app) {
    await page.request.post("/api/trpc/app.delete", { data: { json: { id: app.id } } });
    await expect
      .poll(async () => (await findApp(page)) === undefined, { timeout: DELETE_TIMEOUT_MS })
      .toBe(true);
  }
  await page.close();
});

test("deploy an app, see its replicas live with their placement, scale it, delete it", async ({
  page,
}) => {
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
  const previewNodes = await placements.evaluateAll((items) =>
    items.map((item) => item.getAttribute("data-node-name")).sort(),
  );

  await page.getByRole("button", { name: "Deploy app" }).click();
  await page.waitForURL(/\/apps\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(APP);
  await expect(page.getByTestId("desired-replicas")).toHaveText("2");

  // The replicas come up in the panel as the reconciler reports them, without a reload.
  const replicas = page.getByTestId("replica-row");
  await expect(replicas).toHaveCount(2);
  await expect(page.locator('[data-testid="replica-row"][data-state="running"]')).toHaveCount(2, {
    timeout: CONVERGE_TIMEOUT_MS,
  });
  await expect(page.getByTestId("app-status")).toHaveText("Running", {
    timeout: CONVERGE_TIMEOUT_MS,
  });
  await expect(page.getByTestId("ready-of-desired")).toHaveText("2 / 2");
  // The controller placed them where the preview said.
  const placedNodes = await replicas.evaluateAll((rows) =>
    rows.map((row) => row.getAttribute("data-node-name")).sort(),
  );
  expect(placedNodes).toEqual(previewNodes);
  const first = replicas.first();
  await expect(first).toHaveAttribute("data-node-name", /^lab-[12]$/);
  await expect(first.getByTestId("replica-node")).toHaveText(/^lab-[12]$/);
  await expect(first.getByTestId("replica-state")).toHaveText("running");
  await expect(first.getByTestId("replica-addresses")).toContainText(
    /127\.0\.0\.\d+:\d+ → 8080\/tcp/,
  );

  // Opened, a replica says why it went where it is, with each scorer's score per node.
  await first.getByRole("button", { name: "Placement of replica 0" }).click();
  const explanation = page.getByTestId("placement-explanation");
  await expect(explanation).toBeVisible();
  await expect(explanation).toContainText(/nodes? of \d+ fit/);
  const candidates = explanation.getByTestId("placement-candidate");
  await expect(candidates.first()).toHaveAttribute("data-node-name", /^lab-[12]$/);
  await expect(candidates.first()).toContainText("chosen");
  await expect(candidates.first().getByTestId("scorer-score").first()).toHaveText(/^\d+(\.\d)?$/);

  // Scaling from the app page: a preview of what goes first, then the list shrinks live.
  const scale = page.getByRole("form", { name: "Scale" });
  await scale.getByLabel("Replicas").fill("1");
  await scale.getByRole("button", { name: "Scale" }).click();
  const scaling = page.getByRole("dialog", { name: `Scale ${APP} to 1?` });
  await expect(scaling.getByTestId("scale-summary")).toHaveText(
    "2 → 1: keeps 1 replica in place, removes 1 replica.",
  );
  const removed = scaling.locator('[data-testid="scale-change"][data-kind="removed"]');
  await expect(removed).toContainText("Replica 1");
  await expect(removed).toHaveAttribute("data-node-name", /^lab-[12]$/);
  await scaling.getByRole("button", { name: "Scale to 1" }).click();
  await expect(page.getByTestId("desired-replicas")).toHaveText("1");
  await expect(page.getByTestId("app-revision")).toHaveText("revision 2");
  await expect(replicas).toHaveCount(1, { timeout: CONVERGE_TIMEOUT_MS });
  await expect(page.getByTestId("running-replicas")).toHaveText("1");
  await expect(page.getByTestId("revision-row")).toHaveCount(2);

  // The list shows the app's status, ready of desired and reservation.
  await page.getByRole("link", { name: "Apps", exact: true }).first().click();
  await page.waitForURL(/\/apps$/);
  const row = page.locator(`[data-testid="app-row"][data-app-name="${APP}"]`);
  await expect(row).toContainText(IMAGE);
  await expect(row.getByTestId("app-status")).toHaveText("Running");
  await expect(row.getByTestId("ready-of-desired")).toHaveText("1 / 1");
  await expect(row.getByTestId("app-reserved")).not.toBeEmpty();
  await row.getByRole("link", { name: APP, exact: true }).click();
  await page.waitForURL(/\/apps\/[0-9a-f-]{36}$/);

  // Deleting: a confirmation names the app; the page leaves once the app is gone.
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${APP}?` });
  await dialog.getByRole("button", { name: "Delete app" }).click();
  await page.waitForURL(/\/apps$/, { timeout: DELETE_TIMEOUT_MS });
  await expect(page.getByText(`App ${APP} was deleted.`)).toBeVisible();
  await expect(page.locator(`[data-testid="app-row"][data-app-name="${APP}"]`)).toHaveCount(0);
});
