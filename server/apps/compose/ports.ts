/**
 * A service's `ports:`, in short (`[host_ip:][host:]container[/protocol]`) or long form, as
 * Berth ports. Host addresses are dropped and unpublished ports stay unpublished, with notes.
 */
import { text } from "./scalars";
import { type TRecord, type TReport, type TServiceContext, isRecord } from "./types";

type TPortInput = { containerPort: number; protocol: string; hostPort?: number; name?: string };

const HOST_IP_NOTE =
  "the host address is dropped: Berth publishes ports on each node's own address";
const UNPUBLISHED_NOTE =
  "Compose would publish this port on a random host port; Berth does not publish it, and " +
  "the gateway reaches it";

function portNumber(raw: string): number | undefined {
  return /^\d{1,5}$/.test(raw) ? Number(raw) : undefined;
}

/** `80`, `8080:80`, `127.0.0.1:8080:80/udp`, `[::1]:8080:80`; ranges are refused. */
function readShortPort(spec: string, path: string, report: TReport): TPortInput | undefined {
  const [body = "", protocol = "tcp", ...extra] = spec.trim().split("/");
  if (extra.length > 0) {
    report.error(path, `"${spec}" is not a port: use [host:]container[/protocol]`);

    return undefined;
  }
  let rest = body;
  let hostIp: string | undefined;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(body);
  if (bracket) {
    hostIp = bracket[1];
    rest = bracket[2] ?? "";
  }
  const parts = rest.split(":");
  if (!bracket && parts.length === 3) {
    hostIp = parts.shift();
  }
  if (parts.length > 2 || parts.length === 0) {
    report.error(path, `"${spec}" is not a port: use [host_ip:][host:]container[/protocol]`);

    return undefined;
  }
  if (parts.some((part) => part.includes("-"))) {
    report.unsupported(path, `port ranges ("${spec}") are not supported: list each port`);

    return undefined;
  }
  const [first = "", second] = parts;
  const container = portNumber(second ?? first);
  const host = second === undefined || first === "" ? undefined : portNumber(first);
  if (container === undefined || (second !== undefined && first !== "" && host === undefined)) {
    report.error(path, `"${spec}" is not a port: ports are numbers from 1 to 65535`);

    return undefined;
  }
  if (hostIp) {
    report.note(path, HOST_IP_NOTE);
  }
  if (host === undefined) {
    report.note(path, UNPUBLISHED_NOTE);
  }

  return { containerPort: container, protocol, ...(host === undefined ? {} : { hostPort: host }) };
}

const LONG_PORT_FIELDS = new Set(["target", "published", "protocol", "host_ip", "name", "mode"]);

function readLongPort(port: TRecord, path: string, report: TReport): TPortInput | undefined {
  for (const key of Object.keys(port).filter((key) => !LONG_PORT_FIELDS.has(key))) {
    report.unsupported(`${path}.${key}`, "Berth ports have a number, protocol and name only");
  }
  const target = typeof port.target === "number" ? port.target : Number(port.target);
  if (!Number.isInteger(target)) {
    report.error(`${path}.target`, "must be the container's port number");

    return undefined;
  }
  const result: TPortInput = { containerPort: target, protocol: "tcp" };
  if (port.protocol !== undefined) {
    result.protocol = text(port.protocol, `${path}.protocol`, report) ?? "tcp";
  }
  if (port.published !== undefined && port.published !== null) {
    const published = text(port.published, `${path}.published`, report) ?? "";
    if (published.includes("-")) {
      report.unsupported(`${path}.published`, "port ranges are not supported: list each port");

      return undefined;
    }
    const host = portNumber(published);
    if (host === undefined) {
      report.error(`${path}.published`, "must be a port number from 1 to 65535");

      return undefined;
    }
    result.hostPort = host;
  } else {
    report.note(path, UNPUBLISHED_NOTE);
  }
  if (port.host_ip !== undefined) {
    report.note(`${path}.host_ip`, HOST_IP_NOTE);
  }
  if (port.mode !== undefined && port.mode !== "ingress") {
    report.note(`${path}.mode`, "Berth publishes on the node that runs each replica");
  }
  if (port.name !== undefined) {
    result.name = text(port.name, `${path}.name`, report);
  }

  return result;
}

/** `ports:` in short (`8080:80`) or long form; ranges are refused. */
export function readPorts(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.ports`;
  if (!Array.isArray(value)) {
    ctx.report.error(path, 'must be a list, e.g. ["8080:80"]');

    return;
  }
  const ports: TPortInput[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}.${index}`;
    const port = isRecord(item)
      ? readLongPort(item, itemPath, ctx.report)
      : readShortPort(text(item, itemPath, ctx.report) ?? "", itemPath, ctx.report);
    if (port) {
      ports.push(port);
    }
  });
  ctx.candidate.ports = ports;
}
