import { describe, expect, it } from "vitest";

import { MIB_BYTES as MIB, ZAppSpec } from "@/server/apps/spec";

import { containerNameOf, containerSpecOf, cpuSharesOf } from "./container-spec";

describe("containerSpecOf", () => {
  const spec = ZAppSpec.parse({
    name: "web",
    image: "berth-demo/web:1",
    env: { MODE: "demo" },
    secrets: { TOKEN: "s3cret" },
    ports: [{ containerPort: 8080 }, { containerPort: 53, protocol: "udp", hostPort: 5353 }],
    resources: { cpuLimitMillis: 500, memoryRequestBytes: 32 * MIB, memoryLimitBytes: 64 * MIB },
  });

  it("gives env and secrets as Env, limits as cgroup limits, ports on the node's address", () => {
    const container = containerSpecOf(spec, { advertiseAddress: "127.0.0.2" });

    expect(container.env).toEqual(["MODE=demo", "TOKEN=s3cret"]);
    expect(container.nanoCpus).toBe(500_000_000);
    expect(container.cpuShares).toBe(cpuSharesOf(spec.resources.cpuRequestMillis));
    expect(container.memoryBytes).toBe(64 * MIB);
    expect(container.command).toEqual([]);
    expect(container.ports).toEqual([
      { containerPort: 8080, protocol: "tcp", hostIp: "127.0.0.2", hostPort: undefined },
      { containerPort: 53, protocol: "udp", hostIp: "127.0.0.2", hostPort: 5353 },
    ]);
  });

  it("sets no limit the spec does not ask for", () => {
    const plain = ZAppSpec.parse({ name: "web", image: "berth-demo/web:1" });
    const container = containerSpecOf(plain, { advertiseAddress: "127.0.0.3" });

    expect(container.nanoCpus).toBeUndefined();
    expect(container.memoryBytes).toBeUndefined();
  });
});

describe("cpuSharesOf", () => {
  it("gives 1024 shares per CPU requested, never under the kernel's minimum of 2", () => {
    expect(cpuSharesOf(1000)).toBe(1024);
    expect(cpuSharesOf(250)).toBe(256);
    expect(cpuSharesOf(2500)).toBe(2560);
    expect(cpuSharesOf(1)).toBe(2);
    expect(cpuSharesOf(0)).toBe(2);
  });
});

describe("containerNameOf", () => {
  it("names the app, the slot and the replica", () => {
    expect(containerNameOf("web", 2, "0123456789abcdef")).toBe("berth-web-2-01234567");
  });
});
