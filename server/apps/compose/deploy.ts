/**
 * A service's `deploy:` block: replicas, CPU and memory limits and reservations, placement by
 * node labels, and the restart policy (read with `restart:` in health-restart.ts).
 */
import {
  DEFAULT_CPU_REQUEST_MILLIS,
  DEFAULT_MEMORY_REQUEST_BYTES,
  MILLIS_PER_CPU,
  describeBytes,
} from "../spec";

import { readRestartPolicy } from "./health-restart";
import { parseBytes, text } from "./scalars";
import {
  type TRecord,
  type TReport,
  type TServiceContext,
  isRecord,
  unsupportedReason,
} from "./types";

function readCpus(value: unknown, path: string, report: TReport): number | undefined {
  const cpus = typeof value === "number" ? value : Number(text(value, path, report));
  if (!Number.isFinite(cpus) || cpus <= 0) {
    report.error(path, "must be a number of CPUs, e.g. 0.5");

    return undefined;
  }
  const millis = Math.round(cpus * MILLIS_PER_CPU);
  if (millis !== cpus * MILLIS_PER_CPU) {
    report.note(path, `rounded to ${millis} millicores`);
  }

  return millis;
}

function readMemory(value: unknown, path: string, report: TReport): number | undefined {
  const bytes =
    typeof value === "number" || typeof value === "string" ? parseBytes(value) : undefined;
  if (bytes === undefined) {
    report.error(path, "must be a size such as 512M or 1g");
  }

  return bytes;
}

type TResourcesInput = {
  cpuRequestMillis?: number;
  cpuLimitMillis?: number;
  memoryRequestBytes?: number;
  memoryLimitBytes?: number;
};

function readResourceBlock(
  value: unknown,
  path: string,
  report: TReport,
): { cpu?: number; memory?: number } {
  if (!isRecord(value)) {
    report.error(path, "must be a map with cpus and memory");

    return {};
  }
  const result: { cpu?: number; memory?: number } = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === "cpus") {
      result.cpu = readCpus(raw, `${path}.cpus`, report);
    } else if (key === "memory") {
      result.memory = readMemory(raw, `${path}.memory`, report);
    } else {
      report.unsupported(`${path}.${key}`, "Berth reserves and limits CPU and memory only");
    }
  }

  return result;
}

function readResources(value: unknown, path: string, ctx: TServiceContext): void {
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with limits and reservations");

    return;
  }
  const resources: TResourcesInput = {};
  for (const [key, raw] of Object.entries(value)) {
    if (key === "limits") {
      const limits = readResourceBlock(raw, `${path}.limits`, ctx.report);
      resources.cpuLimitMillis = limits.cpu;
      resources.memoryLimitBytes = limits.memory;
    } else if (key === "reservations") {
      const requests = readResourceBlock(raw, `${path}.reservations`, ctx.report);
      resources.cpuRequestMillis = requests.cpu;
      resources.memoryRequestBytes = requests.memory;
    } else {
      ctx.report.unsupported(`${path}.${key}`, "Berth reads limits and reservations only");
    }
  }
  // Berth always reserves something; keep its default reservation under a lower limit.
  const { cpuLimitMillis, memoryLimitBytes } = resources;
  if (resources.cpuRequestMillis === undefined && cpuLimitMillis !== undefined) {
    resources.cpuRequestMillis = Math.min(DEFAULT_CPU_REQUEST_MILLIS, cpuLimitMillis);
    ctx.report.note(
      `${path}.limits.cpus`,
      `no reservation given: Berth reserves ${resources.cpuRequestMillis} millicores per replica`,
    );
  }
  if (resources.memoryRequestBytes === undefined && memoryLimitBytes !== undefined) {
    resources.memoryRequestBytes = Math.min(DEFAULT_MEMORY_REQUEST_BYTES, memoryLimitBytes);
    const reserved = describeBytes(resources.memoryRequestBytes);
    ctx.report.note(
      `${path}.limits.memory`,
      `no reservation given: Berth reserves ${reserved} per replica`,
    );
  }
  ctx.candidate.resources = JSON.parse(JSON.stringify(resources)) as TRecord;
}

type TPlacementInput = {
  constraints: { key: string; operator: "==" | "!="; value: string }[];
  spreadBy?: string;
  maxPerNode?: number;
};

const CONSTRAINT = /^node\.labels\.([^\s=!]+)\s*(==|!=)\s*(.+)$/;

function readConstraints(value: unknown, path: string, report: TReport) {
  if (!Array.isArray(value)) {
    report.error(path, 'must be a list, e.g. ["node.labels.zone == eu"]');

    return [];
  }
  const constraints: TPlacementInput["constraints"] = [];
  value.forEach((item, index) => {
    const line = text(item, `${path}.${index}`, report);
    const match = line === undefined ? null : CONSTRAINT.exec(line.trim());
    if (line === undefined) {
      return;
    }
    if (!match) {
      report.unsupported(
        `${path}.${index}`,
        `"${line}": Berth places by node labels only (node.labels.KEY == value or !=)`,
      );

      return;
    }
    const [, key = "", operator, labelValue = ""] = match;
    constraints.push({ key, operator: operator === "!=" ? "!=" : "==", value: labelValue.trim() });
  });

  return constraints;
}

function readPreferences(value: unknown, path: string, report: TReport): string | undefined {
  const items = Array.isArray(value) ? value : [];
  let spreadBy: string | undefined;
  items.forEach((item, index) => {
    const spread = isRecord(item) ? item.spread : undefined;
    const match = typeof spread === "string" ? /^node\.labels\.(.+)$/.exec(spread) : null;
    if (match && spreadBy === undefined) {
      spreadBy = match[1];
    } else {
      report.unsupported(
        `${path}.${index}`,
        "Berth spreads by one node label only (spread: node.labels.KEY)",
      );
    }
  });

  return spreadBy;
}

function readPlacement(value: unknown, path: string, ctx: TServiceContext): void {
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map with constraints");

    return;
  }
  const placement: TPlacementInput = { constraints: [] };
  for (const [key, raw] of Object.entries(value)) {
    if (key === "constraints") {
      placement.constraints = readConstraints(raw, `${path}.constraints`, ctx.report);
    } else if (key === "preferences") {
      placement.spreadBy = readPreferences(raw, `${path}.preferences`, ctx.report);
    } else if (key === "max_replicas_per_node") {
      placement.maxPerNode = raw as number;
    } else {
      ctx.report.unsupported(`${path}.${key}`, "not a placement rule Berth has");
    }
  }
  ctx.candidate.placement = JSON.parse(JSON.stringify(placement)) as TRecord;
}

/** `deploy:`: replicas, resources, placement and restart_policy. */
export function readDeploy(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.deploy`;
  if (!isRecord(value)) {
    ctx.report.error(path, "must be a map");

    return;
  }
  for (const [key, raw] of Object.entries(value)) {
    const keyPath = `${path}.${key}`;
    if (key === "replicas") {
      ctx.candidate.replicas = raw;
    } else if (key === "resources") {
      readResources(raw, keyPath, ctx);
    } else if (key === "placement") {
      readPlacement(raw, keyPath, ctx);
    } else if (key === "restart_policy") {
      readRestartPolicy(raw, keyPath, ctx);
    } else if (key === "mode" && raw === "replicated") {
      continue;
    } else {
      ctx.report.unsupported(keyPath, unsupportedReason(key));
    }
  }
}
