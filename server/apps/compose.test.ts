import { describe, expect, it } from "vitest";

import {
  MAX_COMPOSE_VALUES,
  type TComposeFile,
  type TComposeService,
  checkComposeService,
  keepCurrentFields,
  parseBytes,
  parseCompose,
  parseDuration,
  splitWords,
} from "./compose";
import { GIB_BYTES, MIB_BYTES, SECRET_MASK, ZAppSpec, maskSecrets } from "./spec";

function fileOf(text: string): TComposeFile {
  const parsed = parseCompose(text);
  if (!parsed.ok) {
    throw new Error(`expected a file, got: ${parsed.message}`);
  }

  return parsed.file;
}

function refusal(text: string): string {
  const parsed = parseCompose(text);
  if (parsed.ok) {
    throw new Error("expected the file to be refused");
  }

  return parsed.message;
}

/** The one service of a file with `services: { web: <body> }`. */
function web(body: string): TComposeService {
  const indented = body
    .trim()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  const service = fileOf(`services:\n  web:\n${indented}\n`).services[0];
  if (!service) {
    throw new Error("no service");
  }

  return service;
}

function paths(entries: { path: string }[]): string[] {
  return entries.map((entry) => entry.path);
}

describe("splitWords", () => {
  it.each([
    ["node server.js", ["node", "server.js"]],
    ["  a   b  ", ["a", "b"]],
    [`echo "a b" 'c d'`, ["echo", "a b", "c d"]],
    [`echo "say \\"hi\\"" it\\'s`, ["echo", 'say "hi"', "it's"]],
    [`printf '%s\\n' $HOME`, ["printf", "%s\\n", "$HOME"]],
    [`a "" b`, ["a", "", "b"]],
    ["echo a && rm -rf /", ["echo", "a", "&&", "rm", "-rf", "/"]],
    ["", []],
  ])("splits %j", (line, words) => {
    expect(splitWords(line)).toEqual(words);
  });

  it("refuses an unclosed quote", () => {
    expect(splitWords(`echo "oops`)).toBeUndefined();
    expect(splitWords("echo 'oops")).toBeUndefined();
  });
});

describe("durations and sizes", () => {
  it.each([
    ["10s", 10_000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["1.5s", 1500],
    ["2m0s", 120_000],
  ])("reads the duration %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "10", "ten s", "1d", "-5s", "5s 3"])("refuses the duration %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    ["512M", 512 * MIB_BYTES],
    ["512m", 512 * MIB_BYTES],
    ["1g", GIB_BYTES],
    ["1GiB", GIB_BYTES],
    ["1gb", GIB_BYTES],
    ["1.5g", 1.5 * GIB_BYTES],
    ["1024", 1024],
    [2048, 2048],
  ])("reads the size %s", (text, bytes) => {
    expect(parseBytes(text)).toBe(bytes);
  });

  it.each(["", "lots", "1x", "-1g", "1 2g"])("refuses the size %j", (text) => {
    expect(parseBytes(text)).toBeUndefined();
  });
});

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

describe("image, command and entrypoint", () => {
  it("needs an image; build alone is refused and listed", () => {
    const service = web("build: .");
    const check = checkComposeService(service);

    expect(check.fieldErrors).toEqual({
      "services.web.image": ["is required: give the image to run; Berth does not build images"],
    });
    expect(paths(service.unsupported)).toEqual(["services.web.build"]);
  });

  it("refuses an image of the wrong type", () => {
    const check = checkComposeService(web("image: [a, b]"));

    expect(check.fieldErrors?.["services.web.image"]?.[0]).toMatch(/must be text, not a list/);
    expect(check.fieldErrors?.image).toBeUndefined();
  });

  it("reports a bad image reference with the spec's message", () => {
    const check = checkComposeService(web('image: "web;rm -rf /"'));

    expect(check.fieldErrors?.image?.[0]).toMatch(/no spaces or shell characters/);
  });

  it("maps command to args and entrypoint to command, splitting strings into words", () => {
    const service = web(`
image: berth-demo/web:1
entrypoint: /bin/tini --
command: node server.js --name "my app"
`);

    expect(service.candidate.command).toEqual(["/bin/tini", "--"]);
    expect(service.candidate.args).toEqual(["node", "server.js", "--name", "my app"]);
    expect(service.notes).toEqual([]);
  });

  it("keeps list forms as they are, ; and all", () => {
    const service = web('image: a\ncommand: ["sh", "-c", "echo a; echo b"]');

    expect(service.candidate.args).toEqual(["sh", "-c", "echo a; echo b"]);
  });

  it("notes shell operators in a string command", () => {
    const service = web("image: a\ncommand: echo a && echo b");

    expect(service.candidate.args).toEqual(["echo", "a", "&&", "echo", "b"]);
    expect(service.notes[0]?.reason).toMatch(/no shell runs/);
  });

  it("refuses variables Compose would fill in, and undoes $$", () => {
    const service = web("image: a:${TAG}\ncommand: echo $$HOME");

    expect(service.errors[0]).toMatchObject({ path: "services.web.image" });
    expect(service.errors[0]?.reason).toMatch(/uses a variable/);
    expect(service.candidate.args).toEqual(["echo", "$HOME"]);
  });
});

describe("environment", () => {
  it("reads the list form and lists names without a value", () => {
    const service = web("image: a\nenvironment: [A=1, B=x=y, C, D=]");

    expect(service.candidate.env).toEqual({ A: "1", B: "x=y", D: "" });
    expect(paths(service.unsupported)).toEqual(["services.web.environment.2"]);
    expect(service.unsupported[0]?.reason).toMatch(/C has no value/);
  });

  it("reads the map form, numbers and booleans as text", () => {
    const service = web("image: a\nenvironment: { PORT: 8080, DEBUG: true, EMPTY: '', SHELL: }");

    expect(service.candidate.env).toEqual({ PORT: "8080", DEBUG: "true", EMPTY: "" });
    expect(paths(service.unsupported)).toEqual(["services.web.environment.SHELL"]);
  });

  it("refuses an environment of the wrong type", () => {
    const service = web("image: a\nenvironment: PORT=1");

    expect(service.errors[0]?.path).toBe("services.web.environment");
  });

  it("reports bad names with the spec's message at env.NAME", () => {
    const check = checkComposeService(web("image: a\nenvironment: { 'BAD-NAME': x }"));

    expect(Object.keys(check.fieldErrors ?? {})).toEqual(["env.BAD-NAME"]);
  });
});

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

describe("health check and restart", () => {
  it("maps CMD to a command check, with durations in ms", () => {
    const service = web(`
image: a
ports: ["8080"]
healthcheck:
  test: ["CMD", "curl", "-f", "http://localhost:8080/"]
  interval: 1m30s
  timeout: 10s
  retries: 5
  start_period: 40s
`);

    expect(checkComposeService(service).spec?.healthCheck).toEqual({
      type: "command",
      command: ["curl", "-f", "http://localhost:8080/"],
      intervalMs: 90_000,
      timeoutMs: 10_000,
      retries: 5,
      startPeriodMs: 40_000,
    });
  });

  it("runs CMD-SHELL and the string form through /bin/sh -c", () => {
    const shell = web('image: a\nhealthcheck: { test: ["CMD-SHELL", "pg_isready || exit 1"] }');
    const plain = web("image: a\nhealthcheck: { test: pg_isready || exit 1 }");
    const expected = ["/bin/sh", "-c", "pg_isready || exit 1"];

    expect(shell.candidate.healthCheck).toMatchObject({ command: expected });
    expect(plain.candidate.healthCheck).toMatchObject({ command: expected });
    expect(shell.notes[0]?.reason).toMatch(/Berth's defaults/);
  });

  it("turns NONE and disable into no health check", () => {
    expect(web('image: a\nhealthcheck: { test: ["NONE"] }').candidate.healthCheck).toBeUndefined();
    expect(web("image: a\nhealthcheck: { disable: true }").candidate.healthCheck).toBeUndefined();
  });

  it("refuses a bad test or duration", () => {
    const service = web('image: a\nhealthcheck: { test: ["RUN", "x"], interval: soon }');

    expect(paths(service.errors)).toEqual([
      "services.web.healthcheck.test",
      "services.web.healthcheck.interval",
    ]);
  });

  it("lets the spec refuse a timeout longer than the interval", () => {
    const check = checkComposeService(
      web('image: a\nhealthcheck: { test: ["CMD", "true"], interval: 5s, timeout: 10s }'),
    );

    expect(check.fieldErrors?.["healthCheck.timeoutMs"]?.[0]).toMatch(/shorter than intervalMs/);
  });

  it.each([
    ["no", 0],
    ["always", 10],
    ["unless-stopped", 10],
    ["on-failure", 10],
    ['"on-failure:3"', 3],
  ])("maps restart: %s, with a note", (policy, maxRestarts) => {
    const service = web(`image: a\nrestart: ${policy}`);

    expect(checkComposeService(service).spec?.restart.maxRestarts).toBe(maxRestarts);
    expect(service.notes).toHaveLength(1);
  });

  it("refuses an unknown restart policy", () => {
    expect(web("image: a\nrestart: sometimes").errors[0]?.path).toBe("services.web.restart");
  });

  it("prefers deploy.restart_policy and says so", () => {
    const service = web(
      "image: a\nrestart: always\ndeploy: { restart_policy: { max_attempts: 4, delay: 5s } }",
    );

    expect(service.candidate.restart).toEqual({ maxRestarts: 4, backoffInitialMs: 5000 });
    expect(service.notes.map((note) => note.reason)).toContainEqual(
      expect.stringMatching(/restart is ignored/),
    );
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

describe("updates keep what Compose cannot say", () => {
  it("keeps secrets (masked), load balancing, update settings and strategy", () => {
    const current = maskSecrets(
      ZAppSpec.parse({
        name: "web",
        image: "a",
        secrets: { TOKEN: "s3cret", PORT: "x" },
        lb: { policy: "p2c" },
        update: { maxSurge: 2 },
        placement: { strategy: "binpack" },
      }),
    );
    const next = ZAppSpec.parse({ name: "web", image: "b", env: { PORT: "1" } });
    const merged = keepCurrentFields(next, current);

    expect(merged.spec.secrets).toEqual({ TOKEN: SECRET_MASK });
    expect(merged.spec.lb).toEqual({ policy: "p2c" });
    expect(merged.spec.update.maxSurge).toBe(2);
    expect(merged.spec.placement.strategy).toBe("binpack");
    expect(merged.spec.image).toBe("b");
    expect(merged.kept).toContain("secrets");
  });
});
