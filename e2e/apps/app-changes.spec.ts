import { type Page, expect, test } from "@playwright/test";

import { ensureNode, signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "live";
const IMAGE_V1 = "berth-demo/web:1";
const IMAGE_V2 = "berth-demo/web:2";
/** The reconciler starts replicas on the lab's engines; a cold start takes a few seconds. */
const CONVERGE_TIMEOUT_MS = 20_000;
/** A rolling update waits for each new replica's health check before the next one. */
const ROLLOUT_TIMEOUT_MS = 40_000;
/**
 * How soon another tab must show a change. Pages also refetch every 15 s
 * (APP_FALLBACK_POLL_MS) and the default expect timeout is 10 s; 3 s, with the watching tabs
 * loaded just before the change, is only met by a pushed update, never by a poll.
 */
const PUSH_TIMEOUT_MS = 3000;

type TAppView = {
  id: string;
  spec: { replicas: number; image: string };
  revision: { number: number };
  readyReplicas: number;
};

let appId = "";

async function findApp(page: Page): Promise<{ id: string; name: string } | undefined> {
  const apps = await trpc<{ id: string; name: string }[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

async function appView(page: Page): Promise<TAppView> {
  return trpc<TAppView>(page, "app.get", { id: appId }, true);
}

async function waitForReady(page: Page, replicas: number): Promise<void> {
  await expect
    .poll(async () => (await appView(page)).readyReplicas, { timeout: CONVERGE_TIMEOUT_MS })
    .toBe(replicas);
}

// Each test goes on from the app the one before left.
test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  // Two nodes, as the other app specs expect: later ones see no node they do not know.
  for (const k of [1, 2]) {
    await ensureNode(page, `lab-${k}`, labEndpoint(k));
  }
  const existing = await findApp(page);
  if (existing) {
    await page.request.post("/api/trpc/app.delete", { data: { json: { id: existing.id } } });
    await expect.poll(async () => findApp(page), { timeout: CONVERGE_TIMEOUT_MS }).toBeUndefined();
  }
  const created = await trpc<TAppView>(page, "app.create", {
    name: APP,
    image: IMAGE_V1,
    replicas: 1,
    ports: [{ containerPort: 8080, protocol: "tcp" }],
    // One per node: on two nodes, a third replica cannot fit anywhere.
    placement: { strategy: "spread", constraints: [], antiAffinity: [], maxPerNode: 1 },
    healthCheck: {
      type: "http",
      path: "/health",
      port: 8080,
      intervalMs: 1000,
      timeoutMs: 500,
      retries: 2,
      startPeriodMs: 0,
    },
    // With one replica per node and no spare node, an update replaces one replica at a time
    // in place: stop one, then start its successor.
    update: { maxSurge: 0, maxUnavailable: 1, autoRollback: true },
  });
  appId = created.id;
  await waitForReady(page, 1);
  await page.close();
});

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await signIn(page);
  const app = await findApp(page);
  if (app) {
    await page.request.post("/api/trpc/app.delete", { data: { json: { id: app.id } } });
    await expect.poll(async () => findApp(page), { timeout: CONVERGE_TIMEOUT_MS }).toBeUndefined();
  }
  await page.close();
});

test("the scale preview shows what stays, what starts where, and what would not fit", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const scale = page.getByRole("form", { name: "Scale" });
  await scale.getByLabel("Replicas").fill("3");
  await scale.getByRole("button", { name: "Scale" }).click();

  const dialog = page.getByRole("dialog", { name: `Scale ${APP} to 3?` });
  const preview = dialog.getByTestId("scale-preview");
  await expect(preview.getByTestId("scale-summary")).toHaveText(
    "1 → 3: keeps 1 replica in place, starts 1 new, 1 would not fit now.",
  );
  await expect(preview.getByTestId("scale-kept")).toHaveText(/^Staying: lab-[12] × 1$/);
  const changes = preview.getByTestId("scale-change");
  await expect(changes).toHaveCount(2);
  // The new replica goes to the node the running one leaves free.
  await expect(changes.nth(0)).toHaveAttribute("data-kind", "added");
  const keptText = (await preview.getByTestId("scale-kept").textContent()) ?? "";
  const freeNode = keptText.includes("lab-1") ? "lab-2" : "lab-1";
  await expect(changes.nth(0)).toHaveAttribute("data-node-name", freeNode);
  await expect(changes.nth(0)).toContainText("Replica 1");
  await expect(changes.nth(1)).toHaveAttribute("data-kind", "unplaced");
  await expect(changes.nth(1)).toContainText("Replica 2");
  await expect(changes.nth(1)).toContainText(`0 of 2 nodes fit: 2 already run 1 of ${APP} (max)`);

  // Nothing is written until the user confirms.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  const app = await appView(page);
  expect(app.spec.replicas).toBe(1);
  expect(app.revision.number).toBe(1);
});

test("a scale in one tab shows in another tab's app page and apps list, pushed", async ({
  browser,
  context,
}) => {
  // Two watching tabs in one browser; the change is made in another browser. An app page
  // holds three streams (app changes, live stats, log tail): three app pages in one browser
  // would use all six connections it opens to a host.
  const detail = await context.newPage();
  const list = await context.newPage();
  const other = await browser.newContext();
  const actor = await other.newPage();
  await signIn(actor);
  await actor.goto(`/apps/${appId}`);
  await expect(actor.getByTestId("desired-replicas")).toHaveText("1");

  // Loaded just before the change, so neither watcher polls again within PUSH_TIMEOUT_MS.
  await signIn(detail);
  await detail.goto(`/apps/${appId}`);
  await expect(detail.getByTestId("desired-replicas")).toHaveText("1");
  await expect(detail.getByTestId("live-status")).toHaveAttribute("data-state", "connected");
  await list.goto("/apps");
  const row = list.locator(`[data-testid="app-row"][data-app-name="${APP}"]`);
  await expect(row.getByTestId("ready-of-desired")).toHaveText("1 / 1");
  await expect(list.getByTestId("live-status")).toHaveAttribute("data-state", "connected");

  const scale = actor.getByRole("form", { name: "Scale" });
  await scale.getByLabel("Replicas").fill("2");
  await scale.getByRole("button", { name: "Scale" }).click();
  const dialog = actor.getByRole("dialog", { name: `Scale ${APP} to 2?` });
  await expect(dialog.getByTestId("scale-summary")).toHaveText(
    "1 → 2: keeps 1 replica in place, starts 1 new.",
  );
  await dialog.getByRole("button", { name: "Scale to 2" }).click();
  await expect(actor.getByTestId("desired-replicas")).toHaveText("2");

  await expect(detail.getByTestId("desired-replicas")).toHaveText("2", {
    timeout: PUSH_TIMEOUT_MS,
  });
  await expect(detail.getByTestId("app-revision")).toHaveText("revision 2", {
    timeout: PUSH_TIMEOUT_MS,
  });
  await expect(row.getByTestId("ready-of-desired")).toHaveText(/ \/ 2$/, {
    timeout: PUSH_TIMEOUT_MS,
  });
  // The new replica's start is pushed too, as the reconciler reports it.
  await expect(detail.getByTestId("replica-row")).toHaveCount(2, { timeout: PUSH_TIMEOUT_MS });
  await expect(row.getByTestId("ready-of-desired")).toHaveText("2 / 2", {
    timeout: CONVERGE_TIMEOUT_MS,
  });
  await other.close();
});

test("an image update shows its rollout's progress live, to the end", async ({ page }) => {
  await signIn(page);
  await waitForReady(page, 2);
  await page.goto(`/apps/${appId}/edit`);
  const form = page.getByRole("form", { name: "Update app" });
  await form.getByLabel("Image", { exact: true }).fill(IMAGE_V2);
  await expect(page.getByTestId("diff-line")).toHaveText([`~image: ${IMAGE_V1} → ${IMAGE_V2}`]);
  await form.getByRole("button", { name: "Update app" }).click();
  await page.waitForURL(new RegExp(`/apps/${appId}$`));

  const panel = page.getByTestId("rollout-panel");
  const progress = panel.getByTestId("rollout-progress");
  await expect(page.getByTestId("rollout-title")).toHaveText("Updating revision 2 → 3");
  await expect(panel).toHaveAttribute("data-state", "progressing");
  // Seen on the way: fewer than both replicas updated and ready, and what is still pending
  // (old replicas left, or new ones not ready yet); one check, as the steps go by fast.
  await expect(progress).toContainText(
    /[01] of 2 updated and ready.*(of the old revision left|not ready yet)/,
  );
  const bar = panel.getByRole("progressbar", { name: "Replicas updated and ready" });
  await expect(bar).toHaveAttribute("aria-valuemax", "2");

  await expect(panel).toHaveAttribute("data-state", "succeeded", { timeout: ROLLOUT_TIMEOUT_MS });
  await expect(page.getByTestId("rollout-title")).toHaveText("Updated revision 2 → 3");
  await expect(progress).toHaveText("2 of 2 updated and ready");
  await expect(bar).toHaveAttribute("aria-valuenow", "2");
  const rows = page.getByTestId("replica-row");
  await expect(rows).toHaveCount(2);
  expect((await appView(page)).spec.image).toBe(IMAGE_V2);
});

test("any two revisions can be compared, either way round", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  // 1 created with one replica, 2 scaled to two, 3 the new image.
  await expect(page.getByTestId("revision-row")).toHaveCount(3);

  // From a row to the current revision.
  await page
    .locator('[data-testid="revision-row"][data-revision="1"]')
    .getByRole("button", { name: "Compare" })
    .click();
  const picker = page.getByTestId("revision-compare");
  await expect(picker.getByLabel("From revision")).toHaveValue("1");
  await expect(picker.getByLabel("To revision")).toHaveValue("3");
  await expect(page.getByRole("region", { name: "Changes from revision 1 to 3" })).toContainText(
    "Revision 1 → revision 3 (current)",
  );
  const lines = page.getByTestId("revision-diff").locator("li");
  await expect(lines).toHaveText([`~image: ${IMAGE_V1} → ${IMAGE_V2}`, "~replicas: 1 → 2"]);

  // Two older revisions, neither of them the current one.
  await picker.getByLabel("To revision").selectOption("2");
  const older = page.getByRole("region", { name: "Changes from revision 1 to 2" });
  await expect(older).toContainText("Revision 1 → revision 2");
  await expect(older).not.toContainText("(current)");
  await expect(lines).toHaveText(["~replicas: 1 → 2"]);

  await picker.getByRole("button", { name: "Swap" }).click();
  await expect(page.getByRole("region", { name: "Changes from revision 2 to 1" })).toBeVisible();
  await expect(lines).toHaveText(["~replicas: 2 → 1"]);

  await picker.getByLabel("From revision").selectOption("1");
  await expect(page.getByText("Pick two different revisions to compare.")).toBeVisible();
});

test("requests through the gateway show per replica on the app page", async ({ page, request }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const panel = page.getByTestId("gateway-panel");
  const address = (await panel.getByTestId("service-address").textContent()) ?? "";
  expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
  await expect(panel.getByTestId("gateway-replica")).toHaveCount(2);

  // Traffic to the service address until the page shows it: bounded in count and time.
  let isSending = true;
  const startedAt = Date.now();
  const traffic = (async () => {
    for (let sent = 0; isSending && sent < 2000 && Date.now() - startedAt < 30_000; sent += 1) {
      const response = await request.get(`http://${address}/`);
      expect(response.status()).toBe(200);
    }
  })();
  try {
    // The gateway writes its figures every 5 s and the panel reads them as often.
    await expect
      .poll(async () => panel.getByTestId("gateway-rps").allTextContents(), { timeout: 20_000 })
      .toEqual([expect.stringMatching(/^[1-9][\d.]*$/), expect.stringMatching(/^[1-9][\d.]*$/)]);
    await expect(panel.getByTestId("gateway-p50").first()).toHaveText(/ ms$/);
  } finally {
    isSending = false;
    await traffic;
  }
});

test("a replica that cannot be placed says why on the app page", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  await trpc(page, "app.scale", { id: appId, replicas: 3 });
  const unplaced = page.locator('[data-testid="replica-row"][data-state="unplaced"]');
  await expect(unplaced).toHaveCount(1, { timeout: CONVERGE_TIMEOUT_MS });
  await expect(unplaced.getByTestId("replica-error")).toHaveText(
    `0 of 2 nodes fit: 2 already run 1 of ${APP} (max)`,
  );
  await trpc(page, "app.scale", { id: appId, replicas: 2 });
  await expect(unplaced).toHaveCount(0, { timeout: CONVERGE_TIMEOUT_MS });
});

test("rolling back to the first revision from the revisions panel", async ({ page }) => {
  await signIn(page);
  await page.goto(`/apps/${appId}`);
  const before = (await appView(page)).revision.number;
  await page
    .locator('[data-testid="revision-row"][data-revision="1"]')
    .getByRole("button", { name: "Roll back to this" })
    .click();
  const dialog = page.getByRole("dialog", { name: "Roll back to revision 1?" });
  await dialog.getByRole("button", { name: "Roll back" }).click();
  await expect(dialog).toBeHidden();

  // The rollback is a new revision with revision 1's spec: one replica of the first image.
  await expect(page.getByTestId("app-revision")).toHaveText(`revision ${before + 1}`);
  await expect(page.getByTestId("desired-replicas")).toHaveText("1");
  const app = await appView(page);
  expect(app.spec.image).toBe(IMAGE_V1);
  await expect(page.locator('[data-testid="replica-row"][data-state="running"]')).toHaveCount(1, {
    timeout: ROLLOUT_TIMEOUT_MS,
  });
  await expect(page.getByTestId("replica-row")).toHaveCount(1, { timeout: ROLLOUT_TIMEOUT_MS });
});
