import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const IMAGE = "berth-demo/web:1";
/** The reconciler starts replicas on the lab's engines; a cold start takes a few seconds. */
const CONVERGE_TIMEOUT_MS = 20_000;

/** Two services Berth can run, one it cannot (build only), and keys it does not import. */
const COMPOSE_FILE = `version: "3.8"
services:
  shop-web:
    image: ${IMAGE}
    ports: ["8080"]
    environment:
      GREETING: hello
    networks: [front]
    depends_on: [shop-worker]
    deploy:
      replicas: 1
  shop-worker:
    image: ${IMAGE}
    command: node server.js
    ports: ["127.0.0.1:18480:8080"]
    deploy:
      replicas: 0
  builder:
    build: ./builder
networks:
  front: {}
`;

type TAppSummary = { id: string; name: string; replicaCounts: Record<string, number> };

async function findApp(page: Page, name: string): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === name);
}

async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );

  expect(overflow, `the page scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

test.afterAll(async ({ browser }) => {
  // Stop the imported app's replica through the API, whatever happened above, so later specs
  // see clean nodes.
  const page = await browser.newPage();
  await signIn(page);
  const app = await findApp(page, "shop-web");
  if (app) {
    await trpc(page, "app.scale", { id: app.id, replicas: 0 });
    await expect
      .poll(async () => (await findApp(page, "shop-web"))?.replicaCounts.running ?? 0, {
        timeout: CONVERGE_TIMEOUT_MS,
      })
      .toBe(0);
  }
  await page.close();
});

test("paste a Compose file, see what is left out, import it and open the new apps", async ({
  page,
}) => {
  await signIn(page);
  await ensureNode(page, "lab-1", labEndpoint(1));

  await page.goto("/apps");
  await page.getByRole("link", { name: "Import Compose" }).click();
  await expect(page).toHaveURL(/\/apps\/import$/);
  await page.getByLabel("Compose file").fill(COMPOSE_FILE);

  const services = page.getByTestId("compose-service");
  await expect(services).toHaveCount(3);
  const web = page.locator('[data-testid="compose-service"][data-service-name="shop-web"]');
  await expect(web.getByTestId("service-action")).toHaveText("Create");

  // Every field Berth does not import is listed at its path, never dropped in silence.
  const unsupported = page.getByTestId("unsupported-field");
  for (const path of [
    "networks",
    "services.shop-web.networks",
    "services.shop-web.depends_on",
    "services.builder.build",
  ]) {
    await expect(unsupported.and(page.locator(`[data-path="${path}"]`))).toBeVisible();
  }
  await expect(
    page.getByTestId("import-note").and(page.locator('[data-path="services.shop-worker.ports.0"]')),
  ).toContainText("host address is dropped");

  // The build-only service cannot be chosen, and says why.
  const builder = page.locator('[data-testid="compose-service"][data-service-name="builder"]');
  await expect(builder.getByTestId("service-action")).toHaveText("Cannot import");
  await expect(builder.getByTestId("service-error")).toContainText("does not build images");
  await expect(builder.getByRole("checkbox")).toBeDisabled();

  await page.getByRole("button", { name: "Import 2 services" }).click();
  const results = page.getByTestId("import-result");
  await expect(results).toHaveCount(2);
  await expect(results.and(page.locator('[data-ok="true"]'))).toHaveCount(2);

  // The preview now knows the apps exist: importing again would update them.
  await expect(web.getByTestId("service-action")).toHaveText("Update");

  await results.getByRole("link", { name: "shop-web" }).click();
  await page.waitForURL(/\/apps\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("shop-web");
  await expect(page.getByTestId("desired-replicas")).toHaveText("1");
  await expect(page.getByTestId("running-replicas")).toHaveText("1", {
    timeout: CONVERGE_TIMEOUT_MS,
  });

  await page.goto("/apps");
  await expect(page.getByTestId("app-row").filter({ hasText: "shop-web" })).toContainText(IMAGE);
  await expect(page.getByTestId("app-row").filter({ hasText: "shop-worker" })).toBeVisible();
});

test("a file picked on a phone is previewed, and the page fits its width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page);
  await page.goto("/apps/import");
  await page.getByLabel("Choose a .yml file").setInputFiles({
    name: "docker-compose.yml",
    mimeType: "application/yaml",
    buffer: Buffer.from(COMPOSE_FILE),
  });
  await expect(page.getByLabel("Compose file")).toHaveValue(COMPOSE_FILE);
  await expect(page.getByTestId("compose-service")).toHaveCount(3);
  await expect(page.getByTestId("unsupported-field").first()).toBeVisible();
  await expectNoHorizontalScroll(page);
});
