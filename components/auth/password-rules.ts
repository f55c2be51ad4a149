import { MIN_PASSWORD_LENGTH, ZPassword } from "@/server/auth/schema";

export { MIN_PASSWORD_LENGTH };

/** The server's message for a password it would refuse, or null when it is fine. */
export function passwordLengthError(password: string): string | null {
  const result = ZPassword.safeParse(password);

  return result.success ? null : (result.error.issues[0]?.message ?? "is not allowed");
}
