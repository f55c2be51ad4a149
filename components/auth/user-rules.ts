import type { TFieldErrors } from "@/components/trpc/errors";
import { ZName } from "@/server/nodes/schema";

import { passwordLengthError } from "./password-rules";

/**
 * The server's checks on a new account's user name and starting password, run in the browser
 * first so both show beside their fields at once. Empty when both pass.
 */
export function checkNewUser(input: { username: string; password: string }): TFieldErrors {
  const errors: TFieldErrors = {};
  const name = ZName.safeParse(input.username);
  if (!name.success) {
    errors.username = [name.error.issues[0]?.message ?? "is not a valid name"];
  }
  const passwordError = passwordLengthError(input.password);
  if (passwordError) {
    errors.password = [passwordError];
  }

  return errors;
}
