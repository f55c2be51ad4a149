import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn } from "../support/auth";
import { labEndpoint } from "../support/lab";

async function expectNoHorizontalScroll(page: Page, what: string) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );

  expect(overflow, `${what} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

test("every page fits a 390×844 phone without sideways scrolling", async ({ page }) => {
  await signIn(page);
  const id = await ensureNode(page, "lab-2", labEndpoint(2));
  const pages = [
    "/",
    "/nodes",
    `/nodes/${id}`,
    "/nodes/new",
    "/apps",
    "/apps/new",
    "/containers",
    "/events",
    "/alerts",
  ];
  for (const path of [...pages, "/settings"]) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectNoHorizontalScroll(page, path);
  }
});

test("the phone navigation reaches the nodes and shows their status", async ({ page }) => {
  await signIn(page);
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" }).filter({ visible: true });
  await nav.getByRole("link", { name: "Nodes" }).click();
  await expect(page).toHaveURL(/\/nodes$/);
  const row = page.locator('[data-testid="node-row"][data-node-name="lab-2"]');
  await expect(row.getByTestId("node-status")).toHaveText("ready");
  await expectNoHorizontalScroll(page, "/nodes");
});

test("the sign-in page fits a phone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expectNoHorizontalScroll(page, "/login");
  await context.close();
});
