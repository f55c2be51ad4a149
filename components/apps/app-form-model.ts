/**
 * The deploy form's state and how it becomes an app spec: text fields as typed, turned into
 * numbers and bytes only when checked, with the server's own schema (`ZAppSpec`).
 */
import { fieldErrorsFromZod } from "@/components/forms/field-errors";
import type { TFieldErrors } from "@/components/trpc/errors";
import {
  DEFAULT_CPU_REQUEST_MILLIS,
  DEFAULT_MEMORY_REQUEST_BYTES,
  MIB_BYTES,
  type TAppSpec,
  ZAppSpec,
} from "@/server/apps/spec";

export type TEnvRow = { id: number; key: string; value: string };

export type TStrategy = "spread" | "binpack";

export type TAppForm = {
  name: string;
  image: string;
  replicas: string;
  port: string;
  cpuMillis: string;
  memoryMib: string;
  strategy: TStrategy;
  envRows: TEnvRow[];
};

export const EMPTY_APP_FORM: TAppForm = {
  name: "",
  image: "",
  replicas: "1",
  port: "",
  cpuMillis: String(DEFAULT_CPU_REQUEST_MILLIS),
  memoryMib: String(DEFAULT_MEMORY_REQUEST_BYTES / MIB_BYTES),
  strategy: "spread",
  envRows: [],
};

/** The form's fields, each named by the key its errors are shown under. */
export type TAppField =
  "name" | "image" | "replicas" | "port" | "cpuMillis" | "memoryMib" | "strategy" | "env";

/** Which form field shows a spec error, by the error's dotted path (`resources.memory…`). */
const FIELD_OF_PATH: readonly [RegExp, TAppField][] = [
  [/^name$/, "name"],
  [/^image$/, "image"],
  [/^replicas$/, "replicas"],
  [/^ports(\..*)?$/, "port"],
  [/^resources\.cpu/, "cpuMillis"],
  [/^resources(\..*)?$/, "memoryMib"],
  [/^placement(\..*)?$/, "strategy"],
  [/^env(\..*)?$/, "env"],
];

/** An empty box is no number, so the schema says what is expected instead of taking 0. */
function toNumber(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}

/** The spec the form describes, before checking; empty env rows are left out. */
export function specInputOf(form: TAppForm) {
  const env = Object.fromEntries(
    form.envRows.filter((row) => row.key.trim() !== "").map((row) => [row.key.trim(), row.value]),
  );
  const hasPort = form.port.trim() !== "";

  return {
    name: form.name.trim(),
    image: form.image.trim(),
    replicas: toNumber(form.replicas),
    ports: hasPort ? [{ containerPort: toNumber(form.port), protocol: "tcp" as const }] : [],
    resources: {
      cpuRequestMillis: toNumber(form.cpuMillis),
      memoryRequestBytes: toNumber(form.memoryMib) * MIB_BYTES,
    },
    placement: { strategy: form.strategy },
    env,
  };
}

/**
 * Field errors keyed by form field. Env messages keep the variable's name in front, since the
 * env block shows them together.
 */
export function formErrorsOf(errors: TFieldErrors): Partial<Record<TAppField | "other", string[]>> {
  const result: Partial<Record<TAppField | "other", string[]>> = {};
  for (const [key, messages] of Object.entries(errors)) {
    const field = FIELD_OF_PATH.find(([pattern]) => pattern.test(key))?.[1] ?? "other";
    const shown = field === "env" && key !== "env" ? messages.map((m) => `${key}: ${m}`) : messages;
    const labelled = field === "other" ? shown.map((m) => `${key}: ${m}`) : shown;
    (result[field] ??= []).push(...labelled);
  }

  return result;
}

export type TAppFormCheck = { ok: true; spec: TAppSpec } | { ok: false; errors: TFieldErrors };

/** Checks the form with the server's schema; duplicate env names are refused here too. */
export function checkAppForm(form: TAppForm): TAppFormCheck {
  const keys = form.envRows.map((row) => row.key.trim()).filter((key) => key !== "");
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate !== undefined) {
    return { ok: false, errors: { [`env.${duplicate}`]: ["is set twice; keep one"] } };
  }
  const parsed = ZAppSpec.safeParse(specInputOf(form));
  if (!parsed.success) {
    return { ok: false, errors: fieldErrorsFromZod(parsed.error) };
  }

  return { ok: true, spec: parsed.data };
}
