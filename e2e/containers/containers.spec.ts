import { randomBytes } from "node:crypto";

import { type Page, expect, test } from "@playwright/test";

import { engineClient } from "../../server/docker/engine";
import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

/** A plain (not Berth) container on lab node 1, unique per run so the search finds only it. */
const NAME = `e2e-containers-${randomBytes(3).toString("hex")}`;
const LAB_1 = { endpoint: { transport: "tcp" as const, host: "127.0.0.2", port: 2375 } };
/** A Berth app on lab node 1 whose replica the list shows with its CPU and memory. */
const APP = `e2e-usage-${randomBytes(3).toString("hex")}`;
/** The collector's first round only primes a container; the second writes its sample. */
const SAMPLE_TIMEOUT_MS = 40_000;
const CONVERGE_TIMEOUT_MS = 60_000;

type TAppSummary = { id: string; name: string; replicaCounts: Record<string, number> };

async function findApp(page: Page): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

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

test.afterAll(async ({ browser }) => {
  await engineClient(LAB_1)
    .getContainer(NAME)
    .remove({ force: true })
    .catch(() => undefined);
  const page = await browser.newPage();
  await signIn(page);
  const app = await findApp(page);
  if (app) {
    await trpc(page, "app.delete", { id: app.id });
    await expect
      .poll(async () => (await findApp(page)) === undefined, { timeout: CONVERGE_TIMEOUT_MS })
      .toBe(true);
  }
  await page.close();
});

test("a replica's row shows its CPU and memory; another container says why it has none", async ({
  page,
}) => {
  test.setTimeout(CONVERGE_TIMEOUT_MS + SAMPLE_TIMEOUT_MS * 2);
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));
  await trpc(page, "app.create", { name: APP, image: "berth-demo/web:1", replicas: 1 });
  await expect
    .poll(async () => (await findApp(page))?.replicaCounts.running ?? 0, {
      timeout: CONVERGE_TIMEOUT_MS,
    })
    .toBe(1);

  await page.goto(`/containers?q=${APP}`);
  const replica = page.getByTestId("container-row").filter({ hasText: APP });
  await expect(replica).toHaveCount(1);
  await expect(replica.getByTestId("current-cpu")).toHaveText(/^\d+(\.\d)? %$/, {
    timeout: SAMPLE_TIMEOUT_MS,
  });
  await expect(replica.getByTestId("current-memory")).toHaveText(
    /^\d+(\.\d)? (B|KiB|MiB|GiB) · \d+ %$/,
  );

  await searchBox(page).fill(NAME);
  const plain = rowOf(page);
  await expect(plain.getByTestId("current-cpu")).toHaveText("—");
  await expect(plain.getByTestId("current-cpu")).toHaveAttribute("title", /own replicas only/);
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
