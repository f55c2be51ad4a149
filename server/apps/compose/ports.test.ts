import { describe, expect, it } from "vitest";

import { checkComposeService } from "./check";
import { paths, web } from "./harness";

describe("ports", () => {
  it.each([
    ['"80"', { containerPort: 80, protocol: "tcp" }],
    ["80", { containerPort: 80, protocol: "tcp" }],
    ['"8080:80"', { containerPort: 80, protocol: "tcp", hostPort: 8080 }],
    ['"127.0.0.1:8080:80/udp"', { containerPort: 80, protocol: "udp", hostPort: 8080 }],
    ['"[::1]:8080:80"', { containerPort: 80, protocol: "tcp", hostPort: 8080 }],
    ['"127.0.0.1::80"', { containerPort: 80, protocol: "tcp" }],
    [
      "{ target: 80, published: 8080, protocol: udp }",
      { containerPort: 80, protocol: "udp", hostPort: 8080 },
    ],
    ["{ target: 80, name: http }", { containerPort: 80, protocol: "tcp", name: "http" }],
  ])("reads %s", (port, expected) => {
    const service = web(`image: a\nports:\n  - ${port}`);

    expect(service.errors).toEqual([]);
    expect(service.candidate.ports).toEqual([expected]);
  });

  it("notes the dropped host address and unpublished ports", () => {
    const service = web('image: a\nports: ["127.0.0.1:8080:80", "9000"]');

    expect(service.notes.map((note) => note.reason)).toEqual([
      expect.stringMatching(/host address is dropped/),
      expect.stringMatching(/random host port/),
    ]);
  });

  it("lists ranges as unsupported and keeps the other ports", () => {
    const service = web('image: a\nports: ["8000-8010:8000-8010", "8080:80"]');

    expect(paths(service.unsupported)).toEqual(["services.web.ports.0"]);
    expect(service.candidate.ports).toEqual([
      { containerPort: 80, protocol: "tcp", hostPort: 8080 },
    ]);
  });

  it.each(['"http:80"', '"1:2:3:4"', '"80/tcp/x"', "[80]"])("refuses %s", (port) => {
    const service = web(`image: a\nports:\n  - ${port}`);

    expect(service.errors[0]?.path).toBe("services.web.ports.0");
  });

  it("lets the spec refuse an out-of-range port or protocol", () => {
    const check = checkComposeService(web('image: a\nports: ["70000", "80/sctp"]'));

    expect(Object.keys(check.fieldErrors ?? {})).toEqual([
      "ports.0.containerPort",
      "ports.1.protocol",
    ]);
  });

  it("refuses ports that are not a list", () => {
    expect(web('image: a\nports: "80"').errors[0]?.path).toBe("services.web.ports");
  });
});
