/**
 * Parsing of Docker endpoints as users type them. Pure: no I/O.
 *
 * Accepted forms: `unix:///path/docker.sock` or an absolute socket path, and `tcp://host:port`
 * (TLS when certificates are given; the port defaults to 2375, or 2376 with TLS).
 */

export type TEndpoint =
  | { transport: "socket"; socketPath: string }
  | { transport: "tcp" | "tls"; host: string; port: number };

export type TEndpointResult = { ok: true; endpoint: TEndpoint } | { ok: false; message: string };

const ENDPOINT_HELP =
  "use unix:///var/run/docker.sock, tcp://host:2375, or tcp://host:2376 with TLS files";
const SAFE_PATH = /^\/[A-Za-z0-9._/-]{1,255}$/;
const DNS_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(\\.${DNS_LABEL})*$`);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_BRACKETED = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

function parseSocket(socketPath: string): TEndpointResult {
  if (!SAFE_PATH.test(socketPath) || socketPath.split("/").includes("..")) {
    return {
      ok: false,
      message: "a socket path must be absolute, use only letters, digits, . _ - /, and no ..",
    };
  }

  return { ok: true, endpoint: { transport: "socket", socketPath } };
}

/** True for a host name, an IPv4 address or a bracketed IPv6 address. */
export function isValidHost(host: string): boolean {
  return IPV4.test(host) || IPV6_BRACKETED.test(host) || HOSTNAME.test(host);
}

function parseTcp(rest: string, hasTls: boolean): TEndpointResult {
  const match = /^(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(rest);
  if (!match?.[1]) {
    return { ok: false, message: `expected tcp://host:port; ${ENDPOINT_HELP}` };
  }
  const host = match[1];
  if (!isValidHost(host)) {
    return { ok: false, message: `"${host}" is not a valid host name or IP address` };
  }
  const port = match[2] === undefined ? (hasTls ? 2376 : 2375) : Number(match[2]);
  if (port < 1 || port > 65535) {
    return { ok: false, message: "the port must be between 1 and 65535" };
  }

  return { ok: true, endpoint: { transport: hasTls ? "tls" : "tcp", host, port } };
}

/** Parses what a user typed as a node's endpoint. */
export function parseEndpoint(input: string, hasTls = false): TEndpointResult {
  const value = input.trim();
  if (value.startsWith("unix://")) {
    return parseSocket(value.slice("unix://".length));
  }
  if (value.startsWith("/")) {
    return parseSocket(value);
  }
  if (value.startsWith("tcp://")) {
    return parseTcp(value.slice("tcp://".length), hasTls);
  }
  if (/^https?:\/\//.test(value)) {
    return { ok: false, message: `write tcp:// instead of http(s)://; ${ENDPOINT_HELP}` };
  }

  return { ok: false, message: `not a Docker endpoint; ${ENDPOINT_HELP}` };
}

/** The canonical text form stored in the database and shown to users. */
export function formatEndpoint(endpoint: TEndpoint): string {
  if (endpoint.transport === "socket") {
    return `unix://${endpoint.socketPath}`;
  }

  return `tcp://${endpoint.host}:${endpoint.port}`;
}

/** Where ports published on the node are reached, unless the user says otherwise. */
export function defaultAdvertiseAddress(endpoint: TEndpoint): string {
  return endpoint.transport === "socket" ? "127.0.0.1" : endpoint.host.replace(/^\[|\]$/g, "");
}
