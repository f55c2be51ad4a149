import { describe, expect, it } from "vitest";

import { EMPTY_NODE_FORM, type TNodeForm, checkNodeForm } from "./node-form-model";

const form = (patch: Partial<TNodeForm>): TNodeForm => ({ ...EMPTY_NODE_FORM, ...patch });
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

describe("checkNodeForm", () => {
  it("accepts the local engine and leaves the advertise address to the server", () => {
    const result = checkNodeForm(form({ name: "local", endpoint: "unix:///var/run/docker.sock" }));
    expect(result).toEqual({
      ok: true,
      input: { name: "local", endpoint: "unix:///var/run/docker.sock", labels: {} },
    });
  });

  it("reports each bad field under the server's key", () => {
    const result = checkNodeForm(form({ name: "Lab 1", endpoint: "http://127.0.0.2:2375" }));
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    expect(Object.keys(result.errors).toSorted()).toEqual(["endpoint", "name"]);
    expect(result.errors.endpoint?.[0]).toMatch(/tcp:\/\//);
  });

  it("checks labels by key and rows by id", () => {
    const result = checkNodeForm(
      form({
        name: "n2",
        endpoint: "tcp://127.0.0.2:2375",
        labelRows: [
          { rowId: "a", key: "Zone", value: "x" },
          { rowId: "b", key: "rack", value: "1" },
          { rowId: "c", key: "rack", value: "2" },
        ],
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    expect(result.errors["labels.Zone"]).toHaveLength(1);
    expect(Object.keys(result.rowErrors)).toEqual(["c"]);
  });

  it("requires all three TLS files once one is given", () => {
    const result = checkNodeForm(
      form({
        name: "n3",
        endpoint: "tcp://127.0.0.3:2376",
        tls: { ca: PEM, cert: "", key: "" },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    expect(Object.keys(result.errors).toSorted()).toEqual(["tls.cert", "tls.key"]);
  });

  it("passes a TLS node with all files", () => {
    const tls = { ca: PEM, cert: PEM, key: PEM.replaceAll("CERTIFICATE", "PRIVATE KEY") };
    const result = checkNodeForm(form({ name: "n4", endpoint: "tcp://127.0.0.4:2376", tls }));
    expect(result.ok).toBe(true);
  });
});
