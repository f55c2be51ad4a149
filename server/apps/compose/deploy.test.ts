import { describe, expect, it } from "vitest";

import { GIB_BYTES, MIB_BYTES } from "../spec";

import { checkComposeService } from "./check";
import { paths, web } from "./harness";

describe("deploy", () => {
  it("maps replicas, resources and placement", () => {
    const service = web(`
image: a
deploy:
  mode: replicated
  replicas: 3
  resources:
    limits: { cpus: "1.5", memory: 1g }
    reservations: { cpus: 0.25, memory: 256M }
  placement:
    constraints: ["node.labels.zone == eu", "node.labels.disk!=hdd"]
    preferences: [{ spread: node.labels.rack }]
    max_replicas_per_node: 2
`);
    const spec = checkComposeService(service).spec;

    expect(service.unsupported).toEqual([]);
    expect(spec?.replicas).toBe(3);
    expect(spec?.resources).toEqual({
      cpuRequestMillis: 250,
      cpuLimitMillis: 1500,
      memoryRequestBytes: 256 * MIB_BYTES,
      memoryLimitBytes: GIB_BYTES,
    });
    expect(spec?.placement).toMatchObject({
      constraints: [
        { key: "zone", operator: "==", value: "eu" },
        { key: "disk", operator: "!=", value: "hdd" },
      ],
      spreadBy: "rack",
      maxPerNode: 2,
    });
  });

  it("keeps the default reservation under a lower limit, and notes it", () => {
    const service = web("image: a\ndeploy: { resources: { limits: { memory: 64M } } }");
    const spec = checkComposeService(service).spec;

    expect(spec?.resources.memoryRequestBytes).toBe(64 * MIB_BYTES);
    expect(service.notes[0]?.reason).toMatch(/reserves 64 MiB/);
  });

  it("lists constraints on other node fields, global mode and other keys", () => {
    const service = web(`
image: a
deploy:
  mode: global
  update_config: { parallelism: 2 }
  resources: { limits: { pids: 10 } }
  placement: { constraints: ["node.role == manager"] }
`);

    expect(paths(service.unsupported)).toEqual([
      "services.web.deploy.mode",
      "services.web.deploy.update_config",
      "services.web.deploy.resources.limits.pids",
      "services.web.deploy.placement.constraints.0",
    ]);
  });

  it("lets the spec refuse wrong types and sizes", () => {
    const check = checkComposeService(
      web('image: a\ndeploy: { replicas: "three", resources: { limits: { memory: 1k } } }'),
    );

    expect(Object.keys(check.fieldErrors ?? {}).sort()).toEqual([
      "replicas",
      "resources.memoryLimitBytes",
      "resources.memoryRequestBytes",
    ]);
  });

  it("refuses a size it cannot read", () => {
    const service = web("image: a\ndeploy: { resources: { limits: { memory: lots } } }");

    expect(service.errors[0]?.path).toBe("services.web.deploy.resources.limits.memory");
  });
});
