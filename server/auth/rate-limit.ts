/** Sign-in rate limits. Pure: the caller counts recent failures, this decides. */

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USERNAME = 5;
export const MAX_FAILURES_PER_IP = 20;

export type TSignInFailures = { byUsername: number; byIp: number; oldestInWindow?: Date };

export type TRateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Refuses once either count reaches its cap, until the oldest failure leaves the window. */
export function decideSignIn(failures: TSignInFailures, now: Date): TRateDecision {
  const overUsername = failures.byUsername >= MAX_FAILURES_PER_USERNAME;
  const overIp = failures.byIp >= MAX_FAILURES_PER_IP;
  if (!overUsername && !overIp) {
    return { allowed: true };
  }
  const oldest = failures.oldestInWindow?.getTime() ?? now.getTime();
  const retryAfterMs = Math.max(1000, oldest + SIGN_IN_WINDOW_MS - now.getTime());

  return { allowed: false, retryAfterMs };
}
