/**
 * Housekeeping: removes expired sessions and sign-in attempts older than the rate-limit
 * window, so these tables stay small however long Berth runs.
 */
import type { Logger } from "pino";

import { SIGN_IN_WINDOW_MS } from "@/server/auth/rate-limit";
import type { PrismaClient } from "@/server/db/generated/client";

export const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;
/** Attempts are kept a day, well past the window, for looking into sign-in trouble. */
const ATTEMPT_RETENTION_MS = Math.max(SIGN_IN_WINDOW_MS, 24 * 3600 * 1000);

export async function purgeExpired(db: PrismaClient, now: Date) {
  const sessions = await db.session.deleteMany({ where: { expiresAt: { lte: now } } });
  const attempts = await db.signInAttempt.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - ATTEMPT_RETENTION_MS) } },
  });

  return { sessions: sessions.count, attempts: attempts.count };
}

/** Runs `purgeExpired` now and then every interval until stopped. */
export function startHousekeeping(db: PrismaClient, log: Logger): () => void {
  const run = async () => {
    try {
      const removed = await purgeExpired(db, new Date());
      log.debug(removed, "expired rows removed");
    } catch (error) {
      log.warn({ err: error }, "housekeeping failed");
    }
  };
  void run();
  const timer = setInterval(() => void run(), HOUSEKEEPING_INTERVAL_MS);

  return () => clearInterval(timer);
}
