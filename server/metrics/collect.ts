/**
 * Berth's Prometheus metrics, read from the database at each scrape: the fleet's counts, firing
 * alerts and webhook backlog, and each replica's newest stats point. A fresh registry per scrape
 * keeps no stale series of removed replicas; process metrics live in one shared registry.
 */
import { Gauge, Registry, collectDefaultMetrics } from "prom-client";

import type { PrismaClient } from "@/server/db/generated/client";
import { SAMPLE_SECONDS } from "@/server/alerts/evaluate";

/** A replica's stats older than this are left out: its container is gone or not sampled. */
export const STALE_STATS_MS = 2 * 60 * 1000;

const PROCESS_KEY = Symbol.for("berth.metrics.process");
type TGlobalWithRegistry = typeof globalThis & { [PROCESS_KEY]?: Registry };

function processRegistry(): Registry {
  const store = globalThis as TGlobalWithRegistry;
  if (!store[PROCESS_KEY]) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: "berth_process_" });
    store[PROCESS_KEY] = registry;
  }

  return store[PROCESS_KEY];
}

type TNewestSample = {
  replicaId: string;
  cpuPercent: number;
  memoryBytes: bigint;
  memoryLimitBytes: bigint;
  netRxBps: number;
  netTxBps: number;
  blockReadBps: number;
  blockWriteBps: number;
};

async function newestSamples(db: PrismaClient): Promise<TNewestSample[]> {
  const since = new Date(Date.now() - STALE_STATS_MS);

  return db.$queryRaw<TNewestSample[]>`
    SELECT DISTINCT ON ("replicaId") "replicaId", "cpuPercent", "memoryBytes",
      "memoryLimitBytes", "netRxBps", "netTxBps", "blockReadBps", "blockWriteBps"
    FROM "StatSample"
    WHERE "resolution" = ${SAMPLE_SECONDS} AND "replicaId" IS NOT NULL AND "at" > ${since}
    ORDER BY "replicaId", "at" DESC`;
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[] = []) {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

async function fleetMetrics(db: PrismaClient, registry: Registry): Promise<void> {
  const [nodes, replicas, apps, alerts, unacknowledged, deliveries] = await Promise.all([
    db.node.groupBy({ by: ["health"], _count: { _all: true } }),
    db.replica.groupBy({ by: ["state"], _count: { _all: true } }),
    db.app.count({ where: { deleteRequestedAt: null } }),
    db.alert.findMany({
      where: { state: "firing" },
      select: { rule: { select: { severity: true } } },
    }),
    db.alert.count({ where: { state: "firing", acknowledgedAt: null } }),
    db.webhookDelivery.groupBy({ by: ["state"], _count: { _all: true } }),
  ]);
  const nodeGauge = gauge(registry, "berth_nodes", "Nodes by health.", ["health"]);
  for (const health of ["ready", "unreachable"]) {
    nodeGauge.set({ health }, nodes.find((row) => row.health === health)?._count._all ?? 0);
  }
  const replicaGauge = gauge(registry, "berth_replicas", "Replicas by state.", ["state"]);
  for (const row of replicas) {
    replicaGauge.set({ state: row.state }, row._count._all);
  }
  gauge(registry, "berth_apps", "Apps (not being deleted).").set(apps);
  const firing = gauge(registry, "berth_alerts_firing", "Firing alerts by severity.", ["severity"]);
  for (const severity of ["info", "warning", "error"]) {
    firing.set({ severity }, alerts.filter((a) => a.rule.severity === severity).length);
  }
  gauge(
    registry,
    "berth_alerts_firing_unacknowledged",
    "Firing alerts nobody acknowledged yet.",
  ).set(unacknowledged);
  const deliveryGauge = gauge(
    registry,
    "berth_webhook_deliveries",
    "Webhook deliveries by state.",
    ["state"],
  );
  for (const row of deliveries) {
    deliveryGauge.set({ state: row.state }, row._count._all);
  }
}

const REPLICA_LABELS = ["app", "slot", "node"];

async function replicaMetrics(db: PrismaClient, registry: Registry): Promise<void> {
  const samples = await newestSamples(db);
  const rows = await db.replica.findMany({
    where: { id: { in: samples.map((sample) => sample.replicaId) } },
    select: {
      id: true,
      slot: true,
      app: { select: { name: true } },
      node: { select: { name: true } },
    },
  });
  const labelsOf = new Map(
    rows.map((row) => [
      row.id,
      { app: row.app.name, slot: String(row.slot), node: row.node?.name ?? "" },
    ]),
  );
  const series: [string, string, (sample: TNewestSample) => number][] = [
    ["berth_replica_cpu_percent", "CPU used, in percent of one core.", (s) => s.cpuPercent],
    ["berth_replica_memory_bytes", "Memory used.", (s) => Number(s.memoryBytes)],
    ["berth_replica_memory_limit_bytes", "Memory limit.", (s) => Number(s.memoryLimitBytes)],
    ["berth_replica_network_receive_bytes_per_second", "Network received.", (s) => s.netRxBps],
    ["berth_replica_network_transmit_bytes_per_second", "Network sent.", (s) => s.netTxBps],
    ["berth_replica_block_read_bytes_per_second", "Block device reads.", (s) => s.blockReadBps],
    ["berth_replica_block_write_bytes_per_second", "Block device writes.", (s) => s.blockWriteBps],
  ];
  for (const [name, help, valueOf] of series) {
    const metric = gauge(registry, name, `${help} Newest stats point.`, REPLICA_LABELS);
    for (const sample of samples) {
      const labels = labelsOf.get(sample.replicaId);
      if (labels) {
        metric.set(labels, valueOf(sample));
      }
    }
  }
}

/** The exposition text of every metric, and its content type. */
export async function collectMetrics(
  db: PrismaClient,
): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  await Promise.all([fleetMetrics(db, registry), replicaMetrics(db, registry)]);
  const merged = Registry.merge([processRegistry(), registry]);

  return { text: await merged.metrics(), contentType: merged.contentType };
}
