import { expect, test } from "@playwright/test";

import { ensureNode, signIn } from "../support/auth";
import { labEndpoint } from "../support/lab";

test("a cordon in one tab shows in the other's list and timeline", async ({ context }) => {
  const actor = await context.newPage();
  const watcher = await context.newPage();
  await signIn(actor);
  const id = await ensureNode(actor, "lab-1", labEndpoint(1));

  await watcher.goto("/nodes");
  const row = watcher.locator('[data-testid="node-row"][data-node-name="lab-1"]');
  await expect(row.getByTestId("node-status")).toHaveText("ready");
  await expect(watcher.getByTestId("live-status")).toHaveAttribute("data-state", "connected");

  await actor.goto(`/nodes/${id}`);
  await actor.getByRole("button", { name: "Cordon" }).click();
  await expect(actor.getByTestId("node-status")).toHaveText("cordoned");
  await expect(row.getByTestId("node-status")).toHaveText("cordoned");

  await watcher.goto("/events");
  await expect(watcher.getByTestId("live-status")).toHaveAttribute("data-state", "connected");
  await actor.getByRole("button", { name: "Uncordon" }).click();
  await expect(
    watcher.locator('[data-testid="event-row"][data-event-kind="node.uncordoned"]').first(),
  ).toBeVisible();
});
