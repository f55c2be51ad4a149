import { randomBytes } from "node:crypto";

import { type Page, expect, test } from "@playwright/test";

import { engineClient } from "../../server/docker/engine";
import { ensureNode, signIn } from "../support/auth";
import { labEndpoint } from "../support/lab";

/** A plain (not Berth) container on lab node 1, unique per run so the search finds only it. */
const NAME = `e2e-containers-${randomBytes(3).toString("hex")}`;
const LAB_1 = { endpoint: { transport: "tcp" as const, host: "127.0.0.2", port: 2375 } };

function searchBox(page: Page) {
  return page.getByRole("searchbox", { name: "Search containers" });
}

function rowOf(page: Page) {
  return page.locator(`[data-testid="container-row"][data-container-name="${NAME}"]`);
}

test.beforeAll(async () => {
  const container = await engineClient(LAB_1).createContainer({
    name: NAME,
    Image: "berth-demo/web:1",
  });
  await container.start();
});

test.afterAll(async () => {
  await engineClient(LAB_1)
    .getContainer(NAME)
    .remove({ force: true })
    .catch(() => undefined);
});

test("search for a container across the nodes; the URL keeps the search", async ({ page }) => {
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  await page.goto("/containers");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Containers");
  await expect(page.getByTestId("container-row").first()).toBeVisible();

  await searchBox(page).fill(NAME);
  await expect(page).toHaveURL(new RegExp(`\\?q=${NAME}$`));
  await expect(page.getByTestId("container-row")).toHaveCount(1);
  const row = rowOf(page);
  await expect(row).toHaveAttribute("data-node-name", "lab-1");
  await expect(row.getByTestId("container-state")).toHaveText("running");
  await expect(row).toContainText("berth-demo/web:1");

  // A shared link opens on the same search.
  await page.reload();
  await expect(searchBox(page)).toHaveValue(NAME);
  await expect(rowOf(page)).toBeVisible();

  await page.getByRole("button", { name: "Exited" }).click();
  await expect(page).toHaveURL(/state=exited/);
  await expect(page.getByText("No match")).toBeVisible();
  await expect(page.getByTestId("container-row")).toHaveCount(0);

  // The main navigation opens the bare list, and the search box follows the URL.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Containers" })
    .click();
  await expect(page).toHaveURL(/\/containers$/);
  await expect(searchBox(page)).toHaveValue("");
  await expect(rowOf(page)).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test("the list turns into cards that fit the screen", async ({ page }) => {
    await signIn(page);
    await page.goto(`/containers?q=${NAME}`);
    const card = rowOf(page);
    await expect(card).toBeVisible();
    await expect(card).toHaveJSProperty("tagName", "LI");
    await expect(page.getByRole("table")).toHaveCount(0);
    const nav = page.getByRole("navigation", { name: "Main" }).filter({ visible: true });
    await expect(nav.getByRole("link", { name: "Containers" })).toBeVisible();

    await page.goto("/containers");
    await expect(page.getByTestId("container-row").first()).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );

    expect(overflow, `/containers scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
  });
});
