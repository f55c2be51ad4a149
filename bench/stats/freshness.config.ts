/**
 * Playwright set-up for the chart freshness benchmark: the e2e server and first-run spec, then
 * bench/stats/freshness.spec.ts. Run with
 *   flock /tmp/berth-test.lock npx playwright test --config bench/stats/freshness.config.ts
 */
import path from "node:path";

import { defineConfig, devices } from "@playwright/test";

import base from "../../playwright.config";

const ROOT = path.resolve(import.meta.dirname, "../..");

export default defineConfig({
  ...base,
  testDir: ROOT,
  timeout: 180_000,
  outputDir: path.join(ROOT, "test-results/bench-freshness"),
  reporter: [["list"]],
  projects: [
    {
      name: "first-run",
      testMatch: /e2e\/auth\/first-run\.spec\.ts/,
      use: devices["Desktop Chrome"],
    },
    {
      name: "freshness",
      testMatch: /bench\/stats\/freshness\.spec\.ts/,
      dependencies: ["first-run"],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } },
    },
  ],
  webServer:
    base.webServer && !Array.isArray(base.webServer) ? { ...base.webServer, cwd: ROOT } : undefined,
});
