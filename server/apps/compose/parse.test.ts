import { describe, expect, it } from "vitest";

import { checkComposeService } from "./check";
import { fileOf, paths, refusal, web } from "./harness";
import { MAX_COMPOSE_VALUES } from "./yaml";

describe("reading the file", () => {
  it("refuses text over 1 MiB before parsing it, saying how large it is", () => {
    const message = refusal(`services: {}\n# ${"x".repeat(5 * 1000 * 1000)}`);

    expect(message).toMatch(/at most 1 MiB/);
    expect(message).toMatch(/about 4\.8 MiB/);
  });

  it.each([
    ["a list", "- a\n- b\n"],
    ["a string", "hello\n"],
    ["a number", "42\n"],
    ["nothing", ""],
  ])("refuses %s at the top", (what, text) => {
    expect(refusal(text)).toMatch(new RegExp(`got ${what}`));
  });

  it("refuses a file without services", () => {
    expect(refusal("version: '3'\n")).toMatch(/no services: map/);
    expect(refusal("services: [web]\n")).toMatch(/no services: map/);
  });

  it("refuses invalid YAML with its line", () => {
    expect(refusal("services:\n  web:\n    image: [a\n")).toMatch(/not valid YAML at line \d+/);
  });

  it("refuses duplicate keys instead of keeping one", () => {
    const text = "services:\n  web:\n    image: a\n    image: b\n";

    expect(refusal(text)).toMatch(/duplicated mapping key/);
  });

  it("refuses an alias bomb before walking it", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(",")}]`);
    }
    lines.push("services:\n  web:\n    image: berth-demo/web:1\n    command: *i");

    expect(refusal(lines.join("\n"))).toMatch(new RegExp(`more than ${MAX_COMPOSE_VALUES} values`));
  });

  it("refuses nesting deeper than Compose needs", () => {
    expect(refusal(`services: ${"[".repeat(200)}${"]".repeat(200)}`)).toMatch(/maxDepth/);
  });

  it("does not run YAML tags that would build objects", () => {
    const message = refusal('services:\n  web:\n    image: !!js/function "() => 1"\n');

    expect(message).toMatch(/unknown tag/);
  });

  it("follows anchors and merge keys, as Compose files use them", () => {
    const file = fileOf(`
x-common: &common
  image: berth-demo/web:1
  environment: { MODE: prod }
services:
  web:
    <<: *common
    deploy: { replicas: 2 }
  worker:
    <<: *common
    command: ["node", "worker.js"]
`);
    const [webService, worker] = file.services;

    expect(webService?.candidate).toMatchObject({
      image: "berth-demo/web:1",
      env: { MODE: "prod" },
      replicas: 2,
    });
    expect(worker?.candidate).toMatchObject({ args: ["node", "worker.js"] });
    expect(webService?.unsupported).toEqual([]);
    expect(paths(file.unsupported)).toEqual(["x-common"]);
  });

  it("lists top-level keys it does not import, and notes version and name", () => {
    const file = fileOf(`
version: "3.9"
name: shop
services: { web: { image: berth-demo/web:1 } }
networks: { front: {} }
volumes: { data: {} }
secrets: { key: { file: ./key } }
`);

    expect(paths(file.unsupported)).toEqual(["networks", "volumes", "secrets"]);
    expect(paths(file.notes)).toEqual(["version", "name"]);
  });
});

describe("service names", () => {
  it("lower-cases a name and says so", () => {
    const service = fileOf("services:\n  Web:\n    image: berth-demo/web:1\n").services[0];

    expect(service?.name).toBe("web");
    expect(service?.notes[0]?.reason).toMatch(/named web/);
    expect(checkComposeService(service!).spec?.name).toBe("web");
  });

  it.each(["web;rm -rf /", "../../etc", "a/../b", "db_1", "x".repeat(64), "-web", "web.api"])(
    "refuses the service name %j, naming it",
    (key) => {
      const file = fileOf(`services:\n  ${JSON.stringify(key)}:\n    image: berth-demo/web:1\n`);
      const service = file.services[0]!;
      const check = checkComposeService(service);

      expect(check.spec).toBeNull();
      expect(check.fieldErrors?.[`services.${key}`]?.[0]).toMatch(/cannot be an app name/);
    },
  );

  it("refuses two services that become the same app", () => {
    const file = fileOf("services:\n  web: { image: a }\n  WEB: { image: b }\n");

    expect(file.services[0]?.errors).toEqual([]);
    expect(file.services[1]?.errors[0]?.reason).toMatch(/as services\.web does/);
  });

  it("keeps a key such as __proto__ a plain key", () => {
    const file = fileOf("services:\n  __proto__: { image: a }\n");

    expect(file.services).toHaveLength(1);
    expect(file.services[0]?.errors[0]?.reason).toMatch(/cannot be an app name/);
    expect(({} as Record<string, unknown>).image).toBeUndefined();
  });
});

describe("what is left out", () => {
  it("lists every unknown service key at its exact path", () => {
    const service = web(`
image: a
networks: [front]
depends_on: [db]
env_file: .env
labels: { a: b }
container_name: web1
x-note: hi
cap_add: [NET_ADMIN]
`);

    expect(paths(service.unsupported)).toEqual([
      "services.web.networks",
      "services.web.depends_on",
      "services.web.env_file",
      "services.web.labels",
      "services.web.container_name",
      "services.web.x-note",
      "services.web.cap_add",
    ]);
    expect(checkComposeService(service).spec).not.toBeNull();
  });

  it("refuses a service that is not a map", () => {
    const service = fileOf("services:\n  web: nginx\n").services[0]!;

    expect(service.errors[0]?.reason).toMatch(/must be a map of settings, not a string/);
  });
});
