/** Published ports of a container: read once each, and written the way every page shows them. */
import type { TContainerPort } from "@/server/docker/engine";

import type { TPublishedPortView } from "./schema";

/**
 * The ports a container publishes, once each. Docker lists a binding once per address family
 * (0.0.0.0 and ::); the IPv4 one is kept.
 */
export function publishedPortsOf(ports: readonly TContainerPort[]): TPublishedPortView[] {
  const seen = new Map<string, TPublishedPortView>();
  const ordered = ports.toSorted(
    (a, b) => Number((a.ip ?? "").includes(":")) - Number((b.ip ?? "").includes(":")),
  );
  for (const port of ordered) {
    if (port.publicPort === undefined) {
      continue;
    }
    const key = `${port.publicPort}/${port.privatePort}/${port.type}`;
    if (!seen.has(key)) {
      seen.set(key, {
        hostIp: port.ip ?? "",
        hostPort: port.publicPort,
        containerPort: port.privatePort,
        protocol: port.type,
      });
    }
  }

  return [...seen.values()];
}

/** `127.0.0.2:18080→8080/tcp`; an IPv6 host is bracketed, an unset one left out. */
export function formatPublishedPort(port: TPublishedPortView): string {
  const host = port.hostIp.includes(":") ? `[${port.hostIp}]` : port.hostIp;
  const prefix = host === "" ? "" : `${host}:`;

  return `${prefix}${port.hostPort}→${port.containerPort}/${port.protocol}`;
}
