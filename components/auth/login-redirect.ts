/**
 * Where to go when the session is gone, and where to come back to after signing in. The return
 * path is checked so a crafted link cannot send a user to another site.
 */

export const LOGIN_PATH = "/login";

/** Accepts only same-origin absolute paths such as `/nodes/abc`; anything else becomes `/`. */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return "/";
  }
  if (value === LOGIN_PATH || value.startsWith(`${LOGIN_PATH}?`)) {
    return "/";
  }

  return value;
}

/** Sends the browser to the sign-in page, remembering where it was. A full load drops caches. */
export function redirectToLogin(): void {
  const { pathname, search } = window.location;
  if (pathname === LOGIN_PATH) {
    return;
  }
  const next = encodeURIComponent(`${pathname}${search}`);
  window.location.replace(`${LOGIN_PATH}?next=${next}`);
}
