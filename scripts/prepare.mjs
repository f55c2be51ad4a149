#!/usr/bin/env node
// Brings a checkout up to date before Berth starts or its tests run: installs npm packages,
// generates the Prisma client and builds the web pages, each only when its inputs changed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function run(command, args) {
  console.log(`berth: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`berth: "${command} ${args.join(" ")}" failed; see the output above.`);
    process.exit(result.status ?? 1);
  }
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** The newest modification time under the given paths, skipping generated folders. */
function newest(paths) {
  let latest = 0;
  const visit = (entry) => {
    if (!existsSync(entry)) {
      return;
    }
    const stat = statSync(entry);
    if (!stat.isDirectory()) {
      latest = Math.max(latest, stat.mtimeMs);
      return;
    }
    for (const child of readdirSync(entry)) {
      if (child !== "node_modules" && child !== "generated" && !child.startsWith(".")) {
        visit(path.join(entry, child));
      }
    }
  };
  paths.forEach((entry) => visit(path.join(root, entry)));

  return latest;
}

const installed = path.join(root, "node_modules/.package-lock.json");
if (mtime(installed) < mtime(path.join(root, "package-lock.json"))) {
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

const generated = path.join(root, "server/db/generated/client.ts");
if (mtime(generated) < mtime(path.join(root, "prisma/schema.prisma"))) {
  run("npx", ["prisma", "generate"]);
}

const buildId = path.join(root, ".next/BUILD_ID");
const sources = ["app", "components", "public", "server", "next.config.js", "package-lock.json"];
if (process.argv.includes("--build") && mtime(buildId) < newest(sources)) {
  run("npx", ["next", "build"]);
}
