import { createHash, randomBytes } from "node:crypto";

import { hash, verify } from "@node-rs/argon2";

/** Bearer tokens start with this, so leaked ones are easy to find with secret scanners. */
export const API_TOKEN_PREFIX = "berth_";

/** Argon2id with the library's defaults (19 MiB, t=2), as OWASP suggests. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A random secret of 32 bytes, URL-safe. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Session cookies and API tokens are 256-bit random values, so one SHA-256 is enough to store
 * them: there is nothing to brute-force, unlike a password.
 */
export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
