import { expect, test } from "@playwright/test";

import { findNodes, signIn } from "../support/auth";
import { lab, labEndpoint } from "../support/lab";

const NODE = "lab-3";

test.afterAll(() => {
  // Leave the lab whole for later specs and test runs, whatever happened here.
  lab("revive", "3");
});

test("add a lab node through the form, see it ready, then unreachable when killed", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/nodes");
  await page.getByRole("link", { name: "Add node" }).first().click();
  await expect(page).toHaveURL(/\/nodes\/new$/);

  // Bad input first: the form names the field and keeps what was typed.
  await page.getByLabel("Name", { exact: true }).fill("lab;3");
  await page.getByLabel("Endpoint").fill("tcp://127.0.0.1:1");
  await page.getByRole("button", { name: "Add node" }).click();
  await expect(page.getByText(/lowercase letters, digits and '-'/)).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(NODE);
  await page.getByRole("button", { name: "Add node" }).click();
  await expect(page.getByText(/Nothing accepts connections/).first()).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(NODE);
  const before = await findNodes(page);

  expect(before.map((node) => node.name)).not.toContain(NODE);

  await page.getByLabel("Endpoint").fill(labEndpoint(3));
  await page.getByRole("button", { name: "Add label" }).click();
  await page.getByRole("textbox", { name: "Label 1 key" }).fill("zone");
  await page.getByRole("textbox", { name: "Label 1 value" }).fill("eu");
  await page.getByRole("button", { name: "Add node" }).click();
  await page.waitForURL(/\/nodes\/[0-9a-f-]{36}$/);
  const badge = page.getByTestId("node-status");
  await expect(badge).toHaveText("ready");
  await expect(page.getByText("zone").first()).toBeVisible();

  lab("kill-node", "3");
  // No reload: the change is pushed to the page.
  await expect(badge).toHaveText("unreachable", { timeout: 10_000 });

  lab("revive", "3");
  await expect(badge).toHaveText("ready", { timeout: 20_000 });
});

test("the nodes list shows the node, its status and labels", async ({ page }) => {
  await signIn(page);
  await page.goto("/nodes");
  const row = page.locator(`[data-testid="node-row"][data-node-name="${NODE}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("node-status")).toHaveText("ready");
  await expect(row).toContainText("127.0.0.4");
});
