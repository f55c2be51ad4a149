/** Header rewriting for the proxy: hop-by-hop headers stay on their hop; X-Forwarded-* added. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";

/** RFC 9110 §7.6.1: meaningful for one connection only, never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The client's address without the IPv4-mapped prefix (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function clientAddressOf(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? "";

  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");

  return new Set(
    text
      .split(",")
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The request headers to send upstream: end-to-end ones, plus X-Forwarded-For/Proto/Host. */
export function forwardHeaders(
  headers: IncomingHttpHeaders,
  clientAddress: string,
): OutgoingHttpHeaders {
  const listed = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !listed.has(name)) {
      out[name] = value;
    }
  }
  const prior = headers["x-forwarded-for"];
  const chain = Array.isArray(prior) ? prior.join(", ") : prior;
  out["x-forwarded-for"] = chain ? `${chain}, ${clientAddress}` : clientAddress;
  // The gateway speaks plain http to clients; a proxy in front of it may have said https.
  out["x-forwarded-proto"] = headers["x-forwarded-proto"] ?? "http";
  if (headers.host !== undefined && headers["x-forwarded-host"] === undefined) {
    out["x-forwarded-host"] = headers.host;
  }

  return out;
}

/** A response's raw header list without hop-by-hop pairs, for writeHead. */
export function responseHeaders(rawHeaders: readonly string[]): string[] {
  const listed = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === "connection") {
      connectionTokens(rawHeaders[i + 1]).forEach((token) => listed.add(token));
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? "";
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && !listed.has(lower)) {
      out.push(name, rawHeaders[i + 1] ?? "");
    }
  }

  return out;
}

/** The named cookie's value from a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return part.slice(eq + 1).trim();
    }
  }

  return undefined;
}
