import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
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

test("an app's pages, its scale preview and its revision comparison fit a phone", async ({
  page,
}) => {
  await signIn(page);
  await ensureNode(page, "lab-2", labEndpoint(2));
  const app = await trpc<{ id: string }>(page, "app.create", {
    name: "phone-fit",
    image: "berth-demo/web:1",
    replicas: 1,
    ports: [{ containerPort: 8080, protocol: "tcp" }],
  });
  try {
    // A second revision, so that there is something to compare.
    await trpc(page, "app.scale", { id: app.id, replicas: 2 });
    // The pages are measured with both replicas in their rows, as a phone user would see them.
    await expect
      .poll(
        async () =>
          (await trpc<{ readyReplicas: number }>(page, "app.get", { id: app.id }, true))
            .readyReplicas,
        { timeout: 30_000 },
      )
      .toBe(2);
    for (const path of [`/apps/${app.id}`, `/apps/${app.id}/edit`, `/apps/${app.id}/logs`]) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      await expectNoHorizontalScroll(page, path);
    }

    await page.goto(`/apps/${app.id}`);
    const scale = page.getByRole("form", { name: "Scale" });
    await scale.getByLabel("Replicas").fill("3");
    await scale.getByRole("button", { name: "Scale" }).click();
    const dialog = page.getByRole("dialog", { name: "Scale phone-fit to 3?" });
    await expect(dialog.getByTestId("scale-summary")).toBeVisible();
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await expectNoHorizontalScroll(page, "the scale preview");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await page
      .locator('[data-testid="revision-row"][data-revision="1"]')
      .getByRole("button", { name: "Compare" })
      .click();
    await expect(page.getByTestId("revision-diff")).toBeVisible();
    await expectNoHorizontalScroll(page, "the revision comparison");
  } finally {
    await trpc(page, "app.delete", { id: app.id });
  }
});
