/**
 * A replica's health from its probes, as a pure step: the last verdict and one probe's result
 * in, the next verdict out. Failures inside the start period do not count; `retries` failures
 * in a row make a replica unhealthy; one success makes it healthy again.
 */
export type THealth = "starting" | "healthy" | "unhealthy";

export type TVerdict = { health: THealth; failures: number; message: string | null };

export type TProbeResult = { isOk: boolean; message: string };

export type TCheckTiming = { retries: number; startPeriodMs: number };

export function nextVerdict(
  verdict: TVerdict,
  result: TProbeResult,
  timing: TCheckTiming,
  sinceStartMs: number,
): TVerdict {
  if (result.isOk) {
    return { health: "healthy", failures: 0, message: null };
  }
  if (verdict.health === "starting" && sinceStartMs < timing.startPeriodMs) {
    return { ...verdict, message: result.message };
  }
  const failures = verdict.failures + 1;
  const health = failures >= timing.retries ? "unhealthy" : verdict.health;

  return { health, failures, message: result.message };
}
