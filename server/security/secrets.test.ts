import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { loadSecretKey, open, seal } from "./secrets";

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("secrets", () => {
  it("seals and opens, and each seal differs", () => {
    const key = Buffer.alloc(32, 7);
    const a = seal("-----BEGIN KEY-----", key);
    const b = seal("-----BEGIN KEY-----", key);

    expect(a).not.toEqual(b);
    expect(a).not.toContain("BEGIN");
    expect(open(a, key)).toBe("-----BEGIN KEY-----");
  });

  it("refuses a wrong key and altered text", () => {
    const sealed = seal("secret", Buffer.alloc(32, 1));

    expect(() => open(sealed, Buffer.alloc(32, 2))).toThrow();
    expect(() => open(sealed.slice(0, -4) + "AAAA", Buffer.alloc(32, 1))).toThrow();
  });

  it("generates a key file once, private to the owner", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "berth-key-"));
    dirs.push(dir);
    const first = await loadSecretKey(dir);
    const second = await loadSecretKey(dir);

    expect(first.equals(second)).toBe(true);
    expect(first).toHaveLength(32);
    expect((await stat(path.join(dir, "secret.key"))).mode & 0o777).toBe(0o600);
  });
});
