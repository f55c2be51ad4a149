import { type Page, expect, test } from "@playwright/test";

import { signIn, trpc } from "../support/auth";
import { labEndpoint } from "../support/lab";

const APP = "packed";
const LAB_NODES = [1, 2, 3] as const;
/** Three replicas start on three engines; a cold start takes a few seconds. */
const CONVERGE_TIMEOUT_MS = 30_000;
/** Two moves, one at a time, each waiting for its successor to pass its health check. */
const REPACK_TIMEOUT_MS = 90_000;
const DELETE_TIMEOUT_MS = 30_000;

type TNodeRow = { id: string; name: string; endpoint: string; status: string };
type TAppSummary = { id: string; name: string; replicaCounts: Record<string, number> };
type TPlan = { moves: { toName: string }[]; nodesUsedBefore: number; nodesFreed: string[] };

async function findApp(page: Page): Promise<TAppSummary | undefined> {
  const apps = await trpc<TAppSummary[]>(page, "app.find", undefined, true);

  return apps.find((app) => app.name === APP);
}

async function deleteApp(page: Page): Promise<void> {
  const app = await findApp(page);
  if (!app) {
    return;
  }
  await trpc(page, "app.delete", { id: app.id });
  await expect
    .poll(async () => (await findApp(page)) === undefined, { timeout: DELETE_TIMEOUT_MS })
    .toBe(true);
}

/** Lab nodes 1..3, reusing any the server already has under that name or endpoint. */
async function ensureLabNodes(page: Page): Promise<TNodeRow[]> {
  const nodes = await trpc<TNodeRow[]>(page, "node.find", undefined, true);
  const ensured: TNodeRow[] = [];
  for (const k of LAB_NODES) {
    const endpoint = labEndpoint(k);
    const existing = nodes.find((node) => node.name === `lab-${k}` || node.endpoint === endpoint);
    ensured.push(
      existing ??
        (await trpc<TNodeRow>(page, "node.create", { name: `lab-${k}`, endpoint, labels: {} })),
    );
  }

  return ensured;
}

test.afterAll(async ({ browser }) => {
  // Whatever happened, later specs find the lab without this app.
  const page = await browser.newPage();
  await signIn(page);
  await deleteApp(page);
  await page.close();
});

test("a re-pack frees two nodes move by move; a node's loss is simulated", async ({ page }) => {
  test.setTimeout(CONVERGE_TIMEOUT_MS + REPACK_TIMEOUT_MS + 60_000);
  await signIn(page);
  await deleteApp(page);
  const nodes = await ensureLabNodes(page);
  const names = nodes.map((node) => node.name);
  await expect
    .poll(async () => {
      const all = await trpc<TNodeRow[]>(page, "node.find", undefined, true);

      return all.filter((node) => names.includes(node.name) && node.status === "ready").length;
    })
    .toBe(3);

  await trpc(page, "app.create", {
    name: APP,
    image: "berth-demo/web:1",
    replicas: 3,
    ports: [{ containerPort: 8080, protocol: "tcp" }],
    placement: { strategy: "spread" },
    healthCheck: { type: "http", path: "/health", port: 8080, intervalMs: 1000, timeoutMs: 500 },
  });
  await expect
    .poll(async () => (await findApp(page))?.replicaCounts.running ?? 0, {
      timeout: CONVERGE_TIMEOUT_MS,
    })
    .toBe(3);
  const plan = await trpc<TPlan>(page, "cluster.repackPlan", undefined, true);

  expect(plan.nodesUsedBefore, "only this app runs on the lab").toBe(3);
  expect(plan.nodesFreed).toHaveLength(2);
  const kept = plan.moves[0]?.toName ?? "";

  // The plan in one line and its moves, before anything is applied.
  await page.goto("/nodes");
  const panel = page.getByRole("region", { name: "Re-pack" });
  await expect(panel.getByTestId("repack-summary")).toContainText(
    `3 nodes in use → 1 after 2 moves; frees ${plan.nodesFreed.join(", ")}; lower bound 1`,
  );
  await expect(panel.getByTestId("repack-compute")).toContainText(/planned in [\d.]+ m?s/);
  const planned = panel.getByRole("list", { name: "Planned moves" }).getByTestId("repack-move");
  await expect(planned).toHaveCount(2);
  await expect(planned.first().getByTestId("move-route")).toContainText(`→ ${kept}`);

  // Applying asks first, naming the nodes freed and the successor rule.
  await panel.getByRole("button", { name: "Apply re-pack" }).click();
  const dialog = page.getByRole("dialog", { name: "Apply the re-pack?" });
  await expect(dialog).toContainText(`Moves 2 replicas to free ${plan.nodesFreed.join(", ")}`);
  await expect(dialog).toContainText("must be ready before the replica stops");
  await dialog.getByRole("button", { name: "Apply re-pack" }).click();
  await expect(dialog).toBeHidden();

  // Live progress: running with a cancel button, then every move done, without a reload.
  const run = panel.getByTestId("repack-run");
  await expect(run).toHaveAttribute("data-state", /running|succeeded/);
  const moves = run.getByTestId("repack-move");
  await expect(moves).toHaveCount(2);
  await expect(run.locator('[data-testid="repack-move"][data-state="done"]')).toHaveCount(2, {
    timeout: REPACK_TIMEOUT_MS,
  });
  await expect(run).toHaveAttribute("data-state", "succeeded", { timeout: CONVERGE_TIMEOUT_MS });
  await expect(run.getByTestId("repack-state")).toHaveText("succeeded");
  await expect(run.getByTestId("repack-progress")).toHaveText("2 of 2 moves done");
  await expect(run.getByTestId("repack-message")).toContainText("2 of 2 move(s) done");
  await expect(panel.getByRole("button", { name: "Cancel re-pack" })).toHaveCount(0);
  await expect(panel.getByText("Already as packed as the plan can get")).toBeVisible({
    timeout: CONVERGE_TIMEOUT_MS,
  });

  // On a phone the panel wraps instead of scrolling sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(run).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );

  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1440, height: 900 });

  // The node now running all three replicas: losing it would send them elsewhere.
  await page.getByRole("link", { name: kept, exact: true }).first().click();
  await page.waitForURL(/\/nodes\/[0-9a-f-]{36}$/);
  const whatIf = page.getByRole("region", { name: "If this node died now" });
  await expect(whatIf.getByTestId("what-if-result")).toHaveCount(0);
  await whatIf.getByRole("button", { name: "Simulate loss" }).click();
  await expect(whatIf.getByTestId("what-if-summary")).toHaveText("3 replicas: 3 would move");
  const targets = whatIf.getByTestId("what-if-move");
  await expect(targets).toHaveCount(3);
  for (const target of await targets.all()) {
    await expect(target).toContainText(APP);
    expect(await target.getAttribute("data-node-name")).not.toBe(kept);
  }
  await expect(whatIf.getByTestId("what-if-unplaced")).toHaveCount(0);

  await deleteApp(page);
});
