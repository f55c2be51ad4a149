/**
 * Five instance families: how the CPU and memory requests of arriving apps are drawn, as
 * fractions of a reference node (16 CPU, 64 GiB). Means are about 2.2 % of the node in the
 * scarcer resource, so a full node holds about 45 replicas and 150,000 replicas fill about two
 * thirds of 5,000 nodes.
 */
import { type TPrng } from "../../server/scheduler/seeded";

export const REFERENCE_CPU_MILLIS = 16_000;
export const REFERENCE_MEMORY_BYTES = 64 * 1024 ** 3;
/** Requests are rounded as people write them: 50m of CPU, 32 MiB of memory. */
const CPU_STEP_MILLIS = 50;
const MEMORY_STEP_BYTES = 32 * 1024 ** 2;

export const FAMILIES = ["uniform", "cpu-heavy", "memory-heavy", "correlated", "bimodal"] as const;

export type TFamily = (typeof FAMILIES)[number];

export type TSize = { cpuMillis: number; memoryBytes: number };

function between(prng: TPrng, low: number, high: number): number {
  return low + (high - low) * prng.next();
}

/** Fractions of the reference node, before rounding. */
function fractions(family: TFamily, prng: TPrng): [number, number] {
  switch (family) {
    case "uniform":
      return [between(prng, 0.004, 0.04), between(prng, 0.004, 0.04)];
    case "cpu-heavy":
      return [between(prng, 0.01, 0.034), between(prng, 0.002, 0.012)];
    case "memory-heavy":
      return [between(prng, 0.002, 0.012), between(prng, 0.01, 0.034)];
    case "correlated": {
      const cpu = between(prng, 0.004, 0.04);

      return [cpu, cpu * between(prng, 0.8, 1.2)];
    }
    case "bimodal":
      return prng.next() < 0.9
        ? [between(prng, 0.004, 0.02), between(prng, 0.004, 0.02)]
        : [between(prng, 0.06, 0.16), between(prng, 0.06, 0.16)];
  }
}

function roundUp(value: number, step: number): number {
  return Math.max(step, Math.round(value / step) * step);
}

/** One app's per-replica request, drawn from the family. */
export function drawSize(family: TFamily, prng: TPrng): TSize {
  const [cpu, memory] = fractions(family, prng);

  return {
    cpuMillis: roundUp(cpu * REFERENCE_CPU_MILLIS, CPU_STEP_MILLIS),
    memoryBytes: roundUp(memory * REFERENCE_MEMORY_BYTES, MEMORY_STEP_BYTES),
  };
}

/** Replicas per app: 1 to 4, as small services run. */
export function drawReplicaCount(prng: TPrng): number {
  return 1 + prng.below(4);
}
