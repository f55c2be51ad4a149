import { describe, expect, it } from "vitest";

import { checkComposeService } from "./check";
import { web } from "./harness";

describe("volumes", () => {
  it("maps named volumes and absolute bind mounts, noting the admin role", () => {
    const service = web('image: a\nvolumes: ["data:/var/lib/data:ro", "/srv/www:/www"]');

    expect(service.candidate.volumes).toEqual([
      { kind: "volume", name: "data", mountPath: "/var/lib/data", readOnly: true },
      { kind: "bind", hostPath: "/srv/www", mountPath: "/www", readOnly: false },
    ]);
    expect(service.notes[0]?.reason).toMatch(/admin role/);
  });

  it("reads the long syntax", () => {
    const service = web(
      "image: a\nvolumes:\n  - { type: volume, source: data, target: /data, read_only: true }",
    );

    expect(service.candidate.volumes).toEqual([
      { kind: "volume", name: "data", mountPath: "/data", readOnly: true },
    ]);
  });

  it.each([
    ['"./site:/www"', /relative/],
    ['"~/site:/www"', /relative/],
    ['"/cache"', /anonymous/],
    ["{ type: tmpfs, target: /tmp }", /tmpfs mounts are not supported/],
    ['"data:/data:z"', /mount option "z"/],
  ])("lists %s as unsupported", (volume, reason) => {
    const service = web(`image: a\nvolumes:\n  - ${volume}`);

    expect(service.unsupported[0]?.reason).toMatch(reason);
  });

  it("lets the spec refuse a path with ..", () => {
    const check = checkComposeService(web('image: a\nvolumes: ["data:/var/../etc"]'));

    expect(check.fieldErrors?.["volumes.0.mountPath"]?.[0]).toMatch(/cannot contain '\.\.'/);
  });
});
