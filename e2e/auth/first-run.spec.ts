import { expect, test } from "@playwright/test";

import { ADMIN } from "../support/auth";

test("a fresh Berth leads to creating the first admin, then signs in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();

  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("short");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByText("must be at least 10 characters").first()).toBeVisible();
  await expect(page.getByLabel("User name")).toHaveValue(ADMIN.username);

  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("current-user")).toContainText(ADMIN.username);
  await expect(page.getByText(/no nodes yet/i).first()).toBeVisible();
});

test("signs out and back in; a wrong password is named, the user name kept", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong user name or password.")).toBeVisible();
  await expect(page.getByLabel("User name")).toHaveValue(ADMIN.username);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(ADMIN.username);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/nodes");
  await expect(page).toHaveURL(/\/login/);
});
