/** How the gateway panel writes its numbers: rates per second and latencies in ms. */

export function formatRate(perSecond: number): string {
  if (perSecond === 0) {
    return "0";
  }

  return perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toString();
}

export function formatLatencyMs(ms: number): string {
  if (ms === 0) {
    return "–";
  }
  if (ms < 10) {
    return `${ms.toFixed(1)} ms`;
  }

  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
