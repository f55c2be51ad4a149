"use client";

import { safeReturnPath } from "@/components/auth/login-redirect";

/** Where to go after signing in: the page that sent us here, if it is one of ours. */
export function returnPath(): string {
  return safeReturnPath(new URLSearchParams(window.location.search).get("next"));
}
