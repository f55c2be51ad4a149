import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { defaultAdvertiseAddress, formatEndpoint, parseEndpoint } from "./endpoint";

describe("parseEndpoint", () => {
  it.each([
    ["unix:///var/run/docker.sock", { transport: "socket", socketPath: "/var/run/docker.sock" }],
    ["/run/docker.sock", { transport: "socket", socketPath: "/run/docker.sock" }],
    ["tcp://127.0.0.2:2375", { transport: "tcp", host: "127.0.0.2", port: 2375 }],
    ["tcp://docker-1.example.com", { transport: "tcp", host: "docker-1.example.com", port: 2375 }],
    ["tcp://[::1]:2375", { transport: "tcp", host: "[::1]", port: 2375 }],
  ])("accepts %s", (input, expected) => {
    expect(parseEndpoint(input)).toEqual({ ok: true, endpoint: expected });
  });

  it("defaults to 2376 and tls when certificates are given", () => {
    expect(parseEndpoint("tcp://10.0.0.5", true)).toEqual({
      ok: true,
      endpoint: { transport: "tls", host: "10.0.0.5", port: 2376 },
    });
  });

  it.each([
    ["http://127.0.0.1:2375", "tcp://"],
    ["tcp://", "expected tcp://host:port"],
    ["tcp://127.0.0.1:99999", "port"],
    ["tcp://bad;rm -rf /:2375", "expected tcp://host:port"],
    ["tcp://a$b:2375", "not a valid host"],
    ["unix:///var/run/../../etc/passwd", "no .."],
    ["unix:///tmp/x;reboot", "socket path"],
    ["docker.sock", "not a Docker endpoint"],
  ])("refuses %s with a message naming the problem", (input, fragment) => {
    const result = parseEndpoint(input);

    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toContain(fragment);
  });

  it("formats what it parses back to the same endpoint", () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.integer({ min: 1, max: 65535 }),
        fc.boolean(),
        (host, port, tls) => {
          const parsed = parseEndpoint(`tcp://${host}:${port}`, tls);
          if (!parsed.ok) {
            return false;
          }
          const again = parseEndpoint(formatEndpoint(parsed.endpoint), tls);

          return again.ok && JSON.stringify(again.endpoint) === JSON.stringify(parsed.endpoint);
        },
      ),
    );
  });

  it("advertises loopback for sockets and the host for tcp", () => {
    expect(defaultAdvertiseAddress({ transport: "socket", socketPath: "/x.sock" })).toBe(
      "127.0.0.1",
    );
    expect(defaultAdvertiseAddress({ transport: "tcp", host: "[::1]", port: 1 })).toBe("::1");
  });
});
