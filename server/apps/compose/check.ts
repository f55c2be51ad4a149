/**
 * Checking a service's candidate against `ZAppSpec`, with errors keyed by path, and merging an
 * update from a Compose file with what the app's current spec has that Compose cannot say.
 */
import { SECRET_MASK, type TAppSpec, type TAppSpecView, ZAppSpec } from "../spec";

import type { TComposeService } from "./types";

export type TFieldErrors = Record<string, string[]>;

export type TComposeCheck =
  { spec: TAppSpec; fieldErrors: null } | { spec: null; fieldErrors: TFieldErrors };

/**
 * The service's spec, or its errors keyed by dotted path: paths in the file (`services.web.image`)
 * for what could not be read, spec paths (`ports.0.hostPort`) for what `ZAppSpec` refuses.
 */
export function checkComposeService(service: TComposeService): TComposeCheck {
  const fieldErrors: TFieldErrors = {};
  for (const error of service.errors) {
    (fieldErrors[error.path] ??= []).push(error.reason);
  }
  const parsed = ZAppSpec.safeParse(service.candidate);
  if (parsed.success && service.errors.length === 0) {
    return { spec: parsed.data, fieldErrors: null };
  }
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join(".") || "input";
      // A field the file could not give is already explained at its path in the file.
      if (issue.path.length === 1 && !(key in service.candidate)) {
        const explained = service.errors.some((error) => error.path.endsWith(`.${key}`));
        if (explained) {
          continue;
        }
      }
      (fieldErrors[key] ??= []).push(issue.message);
    }
  }

  return { spec: null, fieldErrors };
}

/**
 * What an update from a Compose file keeps of the app's current spec: the fields Compose
 * cannot express (secrets, load balancing, rolling update, strategy, anti-affinity). Secrets
 * come back masked, so the update keeps their stored values. Returns the notes to show.
 */
export function keepCurrentFields(
  spec: TAppSpec,
  current: TAppSpecView,
): { spec: TAppSpec; kept: string[] } {
  const secrets = Object.fromEntries(
    Object.keys(current.secrets)
      .filter((name) => !Object.hasOwn(spec.env, name))
      .map((name) => [name, SECRET_MASK] as const),
  );
  const kept = [
    Object.keys(secrets).length > 0 ? "secrets" : "",
    current.lb ? "load balancing" : "",
    "rolling update settings",
    "placement strategy and anti-affinity",
  ].filter(Boolean);
  const next: TAppSpec = {
    ...spec,
    secrets,
    lb: current.lb,
    update: current.update,
    placement: {
      ...spec.placement,
      strategy: current.placement.strategy,
      antiAffinity: current.placement.antiAffinity,
    },
  };

  return { spec: next, kept };
}
