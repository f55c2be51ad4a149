/**
 * Whether a service port is free where a gateway of this host would bind it: a test bind on
 * each such address. Only a gateway on this host can be checked this way; a gateway on
 * another host that still cannot listen reports it in its heartbeat and as an event.
 */
import net from "node:net";
import { hostname } from "node:os";

import type { TDb } from "@/server/db/types";
import { BerthError } from "@/server/errors";

import { liveGateways } from "./heartbeat";

/** The bind addresses of the gateways on this host: this process's and those that report. */
export async function localGatewayAddresses(
  db: TDb,
  self: { isGateway: boolean; address: string },
): Promise<string[]> {
  const addresses = new Set<string>(self.isGateway ? [self.address] : []);
  for (const gateway of await liveGateways(db)) {
    if (gateway.hostname === hostname()) {
      addresses.add(gateway.address);
    }
  }

  return [...addresses];
}

/** Binds and releases the port: the error code when that fails, undefined when it is free. */
export function tryBind(address: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "EUNKNOWN"));
    server.listen({ host: address, port, exclusive: true }, () => {
      server.close(() => resolve(undefined));
    });
  });
}

/**
 * Refuses a port another process holds on a local gateway's address, as a field error on
 * `lb.servicePort`. The port the app already serves on is the gateway's own: not tested.
 */
export async function checkServicePortFree(
  db: TDb,
  app: { id: string; gatewayPort: number | null } | undefined,
  port: number,
  self: { isGateway: boolean; address: string },
): Promise<void> {
  if (app?.gatewayPort === port) {
    return;
  }
  for (const address of await localGatewayAddresses(db, self)) {
    const code = await tryBind(address, port);
    // EADDRNOTAVAIL: that address is not this host's, so nothing here can hold it.
    if (code !== undefined && code !== "EADDRNOTAVAIL") {
      const why = code === "EADDRINUSE" ? "in use by another process" : `not bindable (${code})`;
      const message =
        `Port ${port} is ${why} on the gateway's address ${address}. Stop what holds it, ` +
        "pick another port, or leave servicePort out to get a free one.";
      throw new BerthError("INVALID_INPUT", message, { field: "lb.servicePort" });
    }
  }
}
