import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT_VERSION = "v1";

/**
 * Loads the key that seals secrets at rest: BERTH_SECRET_KEY when set, else a key file in the
 * data directory, generated with mode 0600 on first start.
 */
export async function loadSecretKey(dataDir: string, fromEnv?: string): Promise<Buffer> {
  if (fromEnv) {
    return Buffer.from(fromEnv, "base64");
  }
  const file = path.join(dataDir, "secret.key");
  try {
    const existing = Buffer.from((await readFile(file, "utf8")).trim(), "base64");
    if (existing.length === KEY_BYTES) {
      return existing;
    }
    throw new Error(
      `${file} does not hold a ${KEY_BYTES}-byte base64 key; restore it or remove it`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw error;
    }
  }
  const key = randomBytes(KEY_BYTES);
  await mkdir(dataDir, { recursive: true });
  // "wx" so two processes starting together cannot overwrite each other's key.
  await writeFile(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") {
        throw error;
      }
    },
  );
  await chmod(file, 0o600);

  return Buffer.from((await readFile(file, "utf8")).trim(), "base64");
}

/** Encrypts with AES-256-GCM; the result carries version, IV and tag, so it opens alone. */
export function seal(plaintext: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();

  return [FORMAT_VERSION, ...[iv, tag, body].map((part) => part.toString("base64"))].join(".");
}

/** Opens what `seal` made; throws if the key is wrong or the text was altered. */
export function open(sealed: string, key: Buffer): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== FORMAT_VERSION || !iv || !tag || !body) {
    throw new Error("sealed secret has an unknown format");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));

  return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString(
    "utf8",
  );
}

const SECRET_KEY = Symbol.for("berth.secretKey");
type TGlobalWithKey = typeof globalThis & { [SECRET_KEY]?: Buffer };

export function setSecretKey(key: Buffer): void {
  (globalThis as TGlobalWithKey)[SECRET_KEY] = key;
}

/** The key loaded at start-up. */
export function secretKey(): Buffer {
  const key = (globalThis as TGlobalWithKey)[SECRET_KEY];
  if (!key) {
    throw new Error("secret key not loaded; call setSecretKey at start-up");
  }

  return key;
}
