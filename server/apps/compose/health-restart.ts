/**
 * A service's health check (`healthcheck:`) and restart policy (`restart:` and
 * `deploy.restart_policy:`), with notes where Berth's behaviour differs from Compose's.
 */
import {
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_MAX_RESTARTS,
  MAX_RESTARTS,
  describeMs,
} from "../spec";

import { readArgv } from "./container";
import { readDurationMs, text } from "./scalars";
import {
  type TRecord,
  type TReport,
  type TServiceContext,
  isRecord,
  unsupportedReason,
} from "./types";

const HEALTH_TIMINGS: Record<string, string> = {
  interval: "intervalMs",
  timeout: "timeoutMs",
  start_period: "startPeriodMs",
};

function readHealthTest(
  value: unknown,
  path: string,
  report: TReport,
): string[] | null | undefined {
  if (typeof value === "string") {
    const line = text(value, path, report);

    return line === undefined ? undefined : ["/bin/sh", "-c", line];
  }
  const items = readArgv(value, path, report);
  const [kind, ...rest] = items ?? [];
  if (kind === "NONE") {
    return null;
  }
  if (kind === "CMD" && rest.length > 0) {
    return rest;
  }
  if (kind === "CMD-SHELL" && rest.length === 1) {
    return ["/bin/sh", "-c", rest[0] ?? ""];
  }
  if (items) {
    report.error(path, 'must be ["CMD", program, args...], ["CMD-SHELL", "line"] or ["NONE"]');
  }

  return undefined;
}

/** `healthcheck:` as a command health check with its timings. */
export function readHealthcheck(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.healthcheck`;
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with test, interval, timeout and retries");

    return;
  }
  if (value.disable === true) {
    ctx.report.note(path, "disabled: the app gets no health check");

    return;
  }
  if (value.test === undefined) {
    ctx.report.unsupported(path, "a health check without test uses the image's: give test");

    return;
  }
  const command = readHealthTest(value.test, `${path}.test`, ctx.report);
  if (command === null) {
    ctx.report.note(`${path}.test`, "NONE: the app gets no health check");

    return;
  }
  const check: TRecord = { type: "command", command };
  for (const [key, raw] of Object.entries(value)) {
    const field = HEALTH_TIMINGS[key];
    if (field) {
      check[field] = readDurationMs(raw, `${path}.${key}`, ctx.report);
    } else if (key === "retries") {
      check.retries = raw;
    } else if (key !== "test" && key !== "disable") {
      ctx.report.unsupported(`${path}.${key}`, unsupportedReason(key));
    }
  }
  if (value.interval === undefined || value.timeout === undefined) {
    const interval = describeMs(DEFAULT_HEALTH_INTERVAL_MS);
    const defaults = `${interval}, ${describeMs(DEFAULT_HEALTH_TIMEOUT_MS)}`;
    ctx.report.note(
      path,
      `Compose defaults interval and timeout to 30s; Berth's defaults (${defaults}) apply`,
    );
  }
  if (command !== undefined) {
    ctx.candidate.healthCheck = JSON.parse(JSON.stringify(check)) as TRecord;
  }
}

const RESTART_NOTE =
  "Berth restarts a crashed replica in place with backoff, and marks it failed after " +
  "maxRestarts crashes in a row";

/** `restart:` as a restart count: Berth never restarts forever. */
export function readRestart(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.restart`;
  const policy = text(value, path, ctx.report);
  if (policy === undefined) {
    return;
  }
  const onFailure = /^on-failure(?::(\d+))?$/.exec(policy);
  if (policy === "no") {
    ctx.candidate.restart = { maxRestarts: 0 };
    ctx.report.note(path, "no: the first crash marks the replica failed (maxRestarts 0)");
  } else if (policy === "always" || policy === "unless-stopped") {
    ctx.candidate.restart = { maxRestarts: DEFAULT_MAX_RESTARTS };
    ctx.report.note(path, `${RESTART_NOTE} (${DEFAULT_MAX_RESTARTS}), not forever`);
  } else if (onFailure) {
    const count = onFailure[1] === undefined ? DEFAULT_MAX_RESTARTS : Number(onFailure[1]);
    ctx.candidate.restart = { maxRestarts: Math.min(count, MAX_RESTARTS) };
    ctx.report.note(path, `${RESTART_NOTE}; a clean exit is restarted too`);
  } else {
    ctx.report.error(path, 'must be "no", "always", "on-failure[:N]" or "unless-stopped"');
  }
}

/** `deploy.restart_policy:`, which wins over `restart:`. */
export function readRestartPolicy(value: unknown, path: string, ctx: TServiceContext): void {
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with condition, delay and max_attempts");

    return;
  }
  const restart: TRecord = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === "max_attempts") {
      restart.maxRestarts = raw;
    } else if (key === "delay") {
      restart.backoffInitialMs = readDurationMs(raw, `${path}.delay`, ctx.report);
    } else if (key === "condition" && raw === "none") {
      restart.maxRestarts = 0;
    } else if (key === "condition") {
      ctx.report.note(`${path}.condition`, RESTART_NOTE);
    } else {
      ctx.report.unsupported(`${path}.${key}`, unsupportedReason(key));
    }
  }
  if (ctx.candidate.restart !== undefined) {
    ctx.report.note(path, "deploy.restart_policy is used; restart is ignored");
  }
  ctx.candidate.restart = JSON.parse(JSON.stringify(restart)) as TRecord;
}
