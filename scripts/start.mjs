#!/usr/bin/env node
// `npm start`: prepares the checkout if needed, then runs Berth's supervisor in this terminal.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prepared = spawnSync(process.execPath, [path.join(root, "scripts/prepare.mjs"), "--build"], {
  cwd: root,
  stdio: "inherit",
});
if (prepared.status !== 0) {
  process.exit(prepared.status ?? 1);
}

const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/main.ts")], {
  cwd: root,
  stdio: "inherit",
  env: { NODE_ENV: "production", ...process.env },
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
