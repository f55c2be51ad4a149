import path from "node:path";

import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    projects: [
      {
        resolve: { alias: { "@": root } },
        test: {
          name: "unit",
          environment: "node",
          include: ["{server,components,app}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        resolve: { alias: { "@": root } },
        test: {
          name: "integration",
          environment: "node",
          include: ["server/**/*.integration.test.ts"],
          globalSetup: [path.join(root, "server/test/global-setup.ts")],
          // One PostgreSQL database and one lab of engines: files run one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
