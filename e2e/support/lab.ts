import { execFileSync } from "node:child_process";
import path from "node:path";

const LAB_SCRIPT = path.resolve(import.meta.dirname, "../../scripts/lab.sh");

/** Runs scripts/lab.sh (e.g. kill-node 3, revive 3): real failures of real engines. */
export function lab(...args: string[]): void {
  execFileSync("bash", [LAB_SCRIPT, ...args], { stdio: "inherit", timeout: 120_000 });
}

/** Lab node K answers on 127.0.0.(K+1):2375. */
export function labEndpoint(k: number): string {
  return `tcp://127.0.0.${k + 1}:2375`;
}
