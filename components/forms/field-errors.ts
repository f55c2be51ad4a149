/**
 * Field errors in the server's shape (`{ "labels.zone": ["..."] }`), so a form shows client and
 * server checks the same way, each beside its field.
 */
import type { ZodError } from "zod";

import type { TFieldErrors } from "@/components/trpc/errors";

type TIssue = ZodError["issues"][number];

function messageOf(issue: TIssue): string {
  // A bad record key reports "Invalid key in record"; the useful text is in the nested issue.
  if (issue.code === "invalid_key") {
    return issue.issues[0]?.message ?? issue.message;
  }

  return issue.message;
}

/** Turns zod issues into field errors keyed by their dotted path, as the server does. */
export function fieldErrorsFromZod(error: ZodError): TFieldErrors {
  const fields: TFieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "input";
    (fields[key] ??= []).push(messageOf(issue));
  }

  return fields;
}

/** Merges sources of field errors; later ones win per field. */
export function mergeFieldErrors(...sources: TFieldErrors[]): TFieldErrors {
  return Object.assign({}, ...sources) as TFieldErrors;
}

/**
 * Messages for fields the form has no place for (e.g. "input"), to show at the top instead of
 * losing them. `isPlaced` says which keys a field of the form shows.
 */
export function unplacedErrors(errors: TFieldErrors, isPlaced: (key: string) => boolean) {
  return Object.entries(errors)
    .filter(([key]) => !isPlaced(key))
    .map(([key, messages]) => `${key}: ${messages.join(" ")}`);
}
