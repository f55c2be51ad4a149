import { describe, expect, it } from "vitest";

import type { TContainerSummary } from "@/server/docker/engine";
import { LABEL_INSTALLATION, LABEL_REPLICA } from "@/server/docker/labels";

import { foreignPortsAt, inventoryOf } from "./inventory";

const OURS = "install-a";

function container(
  name: string,
  ports: TContainerSummary["ports"],
  labels: Record<string, string> = {},
): TContainerSummary {
  return {
    id: `${name}-id`,
    name,
    image: "x:1",
    state: "running",
    status: "Up",
    createdAt: new Date(0),
    ports,
    labels,
  };
}

describe("inventoryOf", () => {
  it("keeps every image reference once and drops <none> placeholders", () => {
    const references = ["web:1", "web:2", "<none>:<none>", "web:1", "sha256:aa", "<none>@<none>"];
    const inventory = inventoryOf(references, [], OURS);

    expect(inventory.images).toEqual(["sha256:aa", "web:1", "web:2"]);
  });

  it("counts published ports of containers Berth does not own, another Berth's included", () => {
    const containers = [
      container("grafana", [{ privatePort: 3000, publicPort: 3000, ip: "0.0.0.0", type: "tcp" }]),
      container(
        "replica",
        [{ privatePort: 8080, publicPort: 18080, ip: "127.0.0.2", type: "tcp" }],
        {
          [LABEL_REPLICA]: "r1",
          [LABEL_INSTALLATION]: OURS,
        },
      ),
      container(
        "other-berth",
        [{ privatePort: 53, publicPort: 5353, ip: "127.0.0.2", type: "udp" }],
        {
          [LABEL_REPLICA]: "r9",
          [LABEL_INSTALLATION]: "install-b",
        },
      ),
      // Exposed but not published: holds no host port.
      container("quiet", [{ privatePort: 80, type: "tcp" }]),
    ];
    const inventory = inventoryOf([], containers, OURS);

    expect(inventory.foreignHostPorts).toEqual([
      { protocol: "tcp", port: 3000, hostIp: "0.0.0.0", container: "grafana" },
      { protocol: "udp", port: 5353, hostIp: "127.0.0.2", container: "other-berth" },
    ]);
  });
});

describe("foreignPortsAt", () => {
  const stored = [
    { protocol: "tcp", port: 3000, hostIp: "0.0.0.0", container: "a" },
    { protocol: "tcp", port: 3001, hostIp: "::", container: "a" },
    { protocol: "tcp", port: 5432, hostIp: "127.0.0.2", container: "b" },
    { protocol: "udp", port: 53, hostIp: "127.0.0.3", container: "c" },
  ];

  it("counts ports on every address and on the node's advertise address", () => {
    expect(foreignPortsAt("127.0.0.2", stored)).toEqual({ tcp: [3000, 3001, 5432], udp: [] });
    expect(foreignPortsAt("127.0.0.3", stored)).toEqual({ tcp: [3000, 3001], udp: [53] });
  });

  it("counts every port where Berth publishes on every address", () => {
    expect(foreignPortsAt("0.0.0.0", stored)).toEqual({ tcp: [3000, 3001, 5432], udp: [53] });
  });
});
