import { randomUUID } from "node:crypto";

import type { PrismaClient } from "./generated/client";

const INSTALLATION_KEY = "installationId";

/**
 * This installation's id, made once per database. Every process that shares the database
 * reads the same id; concurrent first starts agree because only one insert wins.
 */
export async function installationId(db: PrismaClient): Promise<string> {
  await db.setting.createMany({
    data: [{ key: INSTALLATION_KEY, value: randomUUID() }],
    skipDuplicates: true,
  });
  const row = await db.setting.findUniqueOrThrow({ where: { key: INSTALLATION_KEY } });

  return row.value;
}
