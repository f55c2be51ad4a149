import { describe, expect, it } from "vitest";

import { SECRET_MASK, type TAppSpec, ZAppSpec, maskSecrets } from "@/server/apps/spec";

import {
  EMPTY_APP_FORM,
  type TAppForm,
  argvOf,
  checkAppForm,
  formErrorsOf,
  formOf,
  rowField,
  specInputOf,
} from "./app-form-model";

const MIB = 1024 * 1024;

const BASE: TAppForm = { ...EMPTY_APP_FORM, name: "web", image: "berth-demo/web:1" };

function specOf(form: TAppForm): TAppSpec {
  const check = checkAppForm(form);
  if (!check.ok) {
    throw new Error(`form refused: ${JSON.stringify(check.errors)}`);
  }

  return check.spec;
}

function errorsOf(form: TAppForm) {
  const check = checkAppForm(form);

  return check.ok ? {} : check.errors;
}

/** A spec that uses every section, as an app read back from the API would hold it. */
const FULL_SPEC = ZAppSpec.parse({
  name: "shop",
  image: "ghcr.io/acme/shop:1.4",
  command: ["node", "server.js"],
  args: ["--port", "8080", "a b; c", ""],
  env: { LOG_LEVEL: "debug", MODE: "" },
  secrets: { DB_PASSWORD: "hunter2", API_KEY: "k" },
  ports: [
    { containerPort: 8080, protocol: "tcp", hostPort: 18080, name: "http" },
    { containerPort: 5353, protocol: "udp" },
  ],
  volumes: [
    { name: "data", mountPath: "/data" },
    { kind: "bind", hostPath: "/srv/shop", mountPath: "/srv", readOnly: true },
  ],
  resources: {
    cpuRequestMillis: 250,
    cpuLimitMillis: 1500,
    memoryRequestBytes: 5_000_000,
    memoryLimitBytes: 512 * MIB,
  },
  replicas: 3,
  placement: {
    strategy: "binpack",
    constraints: [
      { key: "zone", operator: "in", values: ["eu-1", "eu-2"] },
      { key: "disk", operator: "!=", value: "hdd" },
    ],
    maxPerNode: 1,
    antiAffinity: ["db", "cache"],
    spreadBy: "zone",
  },
  healthCheck: { type: "http", path: "/health", port: 8080, intervalMs: 5000, timeoutMs: 1000 },
  restart: { maxRestarts: 5, backoffInitialMs: 500, backoffMaxMs: 60_000 },
  update: { maxSurge: 2, maxUnavailable: 1, autoRollback: false },
  lb: { policy: "least-connections" },
});

describe("checkAppForm: building a spec from each section", () => {
  it("takes a minimal form with the schema's defaults and skips the blank port row", () => {
    const spec = specOf(BASE);

    expect(spec.ports).toEqual([]);
    expect(spec.replicas).toBe(1);
    expect(spec.healthCheck).toBeUndefined();
    expect(spec.lb).toBeUndefined();
    expect(spec).toEqual(ZAppSpec.parse({ name: "web", image: "berth-demo/web:1" }));
  });

  it("reads command and args one item per line, never splitting on spaces", () => {
    const spec = specOf({ ...BASE, command: "sh\n-c\necho a; echo b", args: "--name=a b\n" });

    expect(spec.command).toEqual(["sh", "-c", "echo a; echo b"]);
    expect(spec.args).toEqual(["--name=a b"]);
    expect(argvOf("")).toEqual([]);
    expect(argvOf("a\n\nb")).toEqual(["a", "", "b"]);
  });

  it("builds env and secrets, skipping blank rows", () => {
    const spec = specOf({
      ...BASE,
      envRows: [
        { rowId: "e1", key: " MODE ", value: "demo" },
        { rowId: "e2", key: "", value: "" },
      ],
      secretRows: [{ rowId: "s1", key: "TOKEN", value: "t0k" }],
    });

    expect(spec.env).toEqual({ MODE: "demo" });
    expect(spec.secrets).toEqual({ TOKEN: "t0k" });
  });

  it("builds several ports with protocols and optional host ports", () => {
    const spec = specOf({
      ...BASE,
      portRows: [
        { rowId: "p1", containerPort: "8080", protocol: "tcp", hostPort: "", name: "" },
        { rowId: "p2", containerPort: "53", protocol: "udp", hostPort: "5353", name: "dns" },
      ],
    });

    expect(spec.ports).toEqual([
      { containerPort: 8080, protocol: "tcp" },
      { containerPort: 53, protocol: "udp", hostPort: 5353, name: "dns" },
    ]);
  });

  it("builds named volumes", () => {
    const spec = specOf({
      ...BASE,
      volumeRows: [
        { rowId: "v1", kind: "volume", source: "data", mountPath: "/data", isReadOnly: true },
      ],
    });

    expect(spec.volumes).toEqual([
      { kind: "volume", name: "data", mountPath: "/data", readOnly: true },
    ]);
  });

  it("turns MiB into bytes and leaves empty limits out", () => {
    const spec = specOf({
      ...BASE,
      memoryRequestMib: "64",
      cpuLimitMillis: "",
      memoryLimitMib: "",
    });

    expect(spec.resources).toEqual({ cpuRequestMillis: 100, memoryRequestBytes: 64 * MIB });
    expect(specOf({ ...BASE, memoryLimitMib: "256" }).resources.memoryLimitBytes).toBe(256 * MIB);
  });

  it("builds placement constraints, the three operators and the spreading fields", () => {
    const spec = specOf({
      ...BASE,
      strategy: "binpack",
      constraintRows: [
        { rowId: "c1", key: "zone", operator: "in", value: "eu-1, eu-2," },
        { rowId: "c2", key: "disk", operator: "==", value: "ssd" },
        { rowId: "c3", key: "", operator: "==", value: "" },
      ],
      maxPerNode: "2",
      spreadBy: "zone",
      antiAffinity: "db, cache",
    });

    expect(spec.placement).toEqual({
      strategy: "binpack",
      constraints: [
        { key: "zone", operator: "in", values: ["eu-1", "eu-2"] },
        { key: "disk", operator: "==", value: "ssd" },
      ],
      maxPerNode: 2,
      spreadBy: "zone",
      antiAffinity: ["db", "cache"],
    });
  });

  it("builds each kind of health check with its timing", () => {
    const port = [
      { rowId: "p", containerPort: "8080", protocol: "tcp" as const, hostPort: "", name: "" },
    ];
    const http = specOf({
      ...BASE,
      portRows: port,
      healthType: "http",
      healthPath: "/health",
      healthPort: "8080",
    });
    const tcp = specOf({ ...BASE, portRows: port, healthType: "tcp", healthPort: "8080" });
    const command = specOf({ ...BASE, healthType: "command", healthCommand: "pg_isready\n-q" });

    expect(http.healthCheck).toEqual({
      type: "http",
      path: "/health",
      port: 8080,
      intervalMs: 10_000,
      timeoutMs: 2000,
      retries: 3,
      startPeriodMs: 0,
    });
    expect(tcp.healthCheck).toMatchObject({ type: "tcp", port: 8080 });
    expect(command.healthCheck).toMatchObject({ type: "command", command: ["pg_isready", "-q"] });
  });

  it("builds the update, restart and load-balancing policies", () => {
    const spec = specOf({
      ...BASE,
      maxSurge: "0",
      maxUnavailable: "1",
      isAutoRollback: false,
      maxRestarts: "3",
      backoffInitialMs: "200",
      backoffMaxMs: "2000",
      lbPolicy: "p2c",
    });

    expect(spec.update).toEqual({ maxSurge: 0, maxUnavailable: 1, autoRollback: false });
    expect(spec.restart).toEqual({ maxRestarts: 3, backoffInitialMs: 200, backoffMaxMs: 2000 });
    expect(spec.lb).toEqual({ policy: "p2c" });
  });

  it("refuses an empty replica count instead of reading it as 0", () => {
    expect(errorsOf({ ...BASE, replicas: "" })).toHaveProperty("replicas");
  });

  it("refuses a variable name given twice, and a value without a name", () => {
    const rows = [
      { rowId: "a", key: "A", value: "1" },
      { rowId: "b", key: "A", value: "2" },
    ];

    expect(errorsOf({ ...BASE, envRows: rows })).toHaveProperty(["env.A"]);
    expect(errorsOf({ ...BASE, secretRows: [{ rowId: "s", key: "", value: "x" }] })).toHaveProperty(
      "secrets",
    );
  });
});

describe("formErrorsOf", () => {
  const form: TAppForm = {
    ...BASE,
    envRows: [{ rowId: "env-0", key: "bad name", value: "1" }],
    secretRows: [{ rowId: "secret-0", key: "TOKEN", value: "x" }],
    portRows: [
      { rowId: "port-blank", containerPort: "", protocol: "tcp", hostPort: "", name: "" },
      { rowId: "port-a", containerPort: "8080", protocol: "tcp", hostPort: "", name: "" },
      { rowId: "port-b", containerPort: "8080", protocol: "tcp", hostPort: "99999", name: "" },
    ],
    constraintRows: [{ rowId: "c", key: "zone", operator: "in", value: "" }],
  };

  it("puts list errors on the row they are about, counting only the rows that are kept", () => {
    const errors = formErrorsOf(
      {
        "ports.1.hostPort": ["must be a port number from 1 to 65535"],
        "ports.1.containerPort": ["8080/tcp is already declared by ports.0"],
        "placement.constraints.0.values": ["list at least one value"],
        ports: ["at most 64 ports"],
      },
      form,
    );

    expect(errors.fields[rowField("ports", "port-b", "hostPort")]).toEqual([
      "must be a port number from 1 to 65535",
    ]);
    expect(errors.fields[rowField("ports", "port-b", "containerPort")]).toHaveLength(1);
    expect(errors.fields[rowField("placement.constraints", "c", "value")]).toEqual([
      "list at least one value",
    ]);
    expect(errors.fields.ports).toEqual(["at most 64 ports"]);
  });

  it("puts single fields under their spec path, objects on their first field", () => {
    const errors = formErrorsOf(
      {
        "resources.memoryRequestBytes": ["must be at least 4 MiB (got 1 MiB)"],
        "healthCheck.timeoutMs": ["must be shorter than intervalMs (1 s)"],
        "command.2": ["cannot contain a NUL character"],
        healthCheck: ['type must be one of "http", "tcp", "command"'],
        "update.maxUnavailable": ["cannot both be 0"],
      },
      form,
    );

    expect(errors.fields["resources.memoryRequestBytes"]).toEqual([
      "must be at least 4 MiB (got 1 MiB)",
    ]);
    expect(errors.fields["healthCheck.timeoutMs"]).toEqual([
      "must be shorter than intervalMs (1 s)",
    ]);
    expect(errors.fields.command).toEqual(["cannot contain a NUL character"]);
    expect(errors.fields["healthCheck.type"]).toHaveLength(1);
    expect(errors.fields["update.maxUnavailable"]).toEqual(["cannot both be 0"]);
    expect(errors.other).toEqual([]);
  });

  it("puts variable errors on their rows, drops the update's spec. prefix, keeps the rest", () => {
    const errors = formErrorsOf(
      {
        "spec.env.bad name": ["is not a valid name"],
        "spec.secrets.TOKEN": ["This secret is new: give its value, not the mask."],
        "env.GONE": ["is set twice"],
        secrets: ["secrets must total at most 512 KiB"],
        input: ["odd"],
      },
      form,
    );

    expect(errors.envRows).toEqual({ "env-0": ["is not a valid name"] });
    expect(errors.secretRows["secret-0"]).toHaveLength(1);
    expect(errors.fields.env).toEqual(["GONE: is set twice"]);
    expect(errors.fields.secrets).toEqual(["secrets must total at most 512 KiB"]);
    expect(errors.other).toEqual(["input: odd"]);
  });

  it("places every error of a real check: timeout not shorter than the interval", () => {
    const check = checkAppForm({
      ...BASE,
      portRows: [{ rowId: "p", containerPort: "8080", protocol: "tcp", hostPort: "", name: "" }],
      healthType: "http",
      healthPath: "/health",
      healthPort: "8080",
      healthIntervalMs: "1000",
      healthTimeoutMs: "1000",
    });
    const errors = formErrorsOf(check.ok ? {} : check.errors, BASE);

    expect(errors.fields["healthCheck.timeoutMs"]).toEqual([
      "must be shorter than intervalMs (1 s)",
    ]);
  });
});

describe("formOf: the edit round trip", () => {
  it("gives back the same spec from a spec with every section", () => {
    expect(specOf(formOf(FULL_SPEC))).toEqual(FULL_SPEC);
  });

  it("keeps masked secrets masked, so the server keeps their stored values", () => {
    const viewed = maskSecrets(FULL_SPEC);
    const form = formOf(viewed);
    const spec = specOf(form);

    expect(form.secretRows.map((row) => row.value)).toEqual([SECRET_MASK, SECRET_MASK]);
    expect(spec).toEqual(viewed);
  });

  it("gives back a minimal spec, without adding optional fields", () => {
    const minimal = ZAppSpec.parse({ name: "web", image: "nginx" });
    const form = formOf(minimal);

    expect(form.portRows).toEqual([]);
    expect(form.healthType).toBe("none");
    expect(specInputOf(form).lb).toBeUndefined();
    expect(specOf(form)).toEqual(minimal);
  });
});
