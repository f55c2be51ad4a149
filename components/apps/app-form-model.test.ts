import { describe, expect, it } from "vitest";

import { EMPTY_APP_FORM, checkAppForm, formErrorsOf } from "./app-form-model";

describe("checkAppForm", () => {
  it("builds a spec with a tcp port and requests in bytes", () => {
    const check = checkAppForm({
      ...EMPTY_APP_FORM,
      name: "web",
      image: "berth-demo/web:1",
      replicas: "2",
      port: "8080",
      memoryMib: "64",
      envRows: [{ id: 1, key: "MODE", value: "demo" }],
    });

    expect(check.ok && check.spec.ports).toEqual([{ containerPort: 8080, protocol: "tcp" }]);
    expect(check.ok && check.spec.resources.memoryRequestBytes).toBe(64 * 1024 * 1024);
    expect(check.ok && check.spec.env).toEqual({ MODE: "demo" });
  });

  it("refuses an empty replica count instead of reading it as 0", () => {
    const check = checkAppForm({ ...EMPTY_APP_FORM, name: "web", image: "nginx", replicas: "" });

    expect(check.ok ? {} : check.errors).toHaveProperty("replicas");
  });

  it("refuses an env name given twice", () => {
    const rows = [
      { id: 1, key: "A", value: "1" },
      { id: 2, key: "A", value: "2" },
    ];
    const check = checkAppForm({ ...EMPTY_APP_FORM, name: "web", image: "nginx", envRows: rows });

    expect(check.ok ? {} : check.errors).toHaveProperty("env.A");
  });
});

describe("formErrorsOf", () => {
  it("puts resource errors beside the memory field and unknown keys under other", () => {
    const errors = formErrorsOf({
      "resources.memoryRequestBytes": ["too small"],
      "resources.cpuRequestMillis": ["too big"],
      "ports.0.containerPort": ["bad port"],
      input: ["odd"],
    });

    expect(errors.memoryMib).toEqual(["too small"]);
    expect(errors.cpuMillis).toEqual(["too big"]);
    expect(errors.port).toEqual(["bad port"]);
    expect(errors.other).toEqual(["input: odd"]);
  });
});
