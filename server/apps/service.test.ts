import { randomBytes } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { setSecretKey } from "@/server/security/secrets";

import { fullSpecOf, maskedSpecOf, storedSpecOf } from "./service";
import { SECRET_MASK, ZAppSpec } from "./spec";

const SPEC = ZAppSpec.parse({
  name: "web",
  image: "berth-demo/web:1",
  env: { LOG_LEVEL: "info" },
  secrets: { API_KEY: "plain-secret-value" },
});

beforeAll(() => {
  setSecretKey(randomBytes(32));
});

describe("stored specs", () => {
  it("keeps secret values out of the spec column and seals them apart", () => {
    const stored = storedSpecOf(SPEC);

    expect(JSON.stringify(stored.spec)).not.toContain("plain-secret-value");
    expect(stored.spec).toMatchObject({ secrets: { API_KEY: SECRET_MASK } });
    expect(stored.secretsSealed).toMatch(/^v1\./);
    expect(stored.secretsSealed).not.toContain("plain-secret-value");
  });

  it("opens to the full spec on the server, and masks for everyone else", () => {
    const revision = { id: "r1", ...storedSpecOf(SPEC) };

    expect(fullSpecOf(revision)).toEqual(SPEC);
    expect(maskedSpecOf(revision).secrets).toEqual({ API_KEY: SECRET_MASK });
  });

  it("stores no sealed record for an app without secrets", () => {
    const stored = storedSpecOf({ ...SPEC, secrets: {} });

    expect(stored.secretsSealed).toBeNull();
    expect(fullSpecOf({ id: "r1", ...stored }).secrets).toEqual({});
  });
});
