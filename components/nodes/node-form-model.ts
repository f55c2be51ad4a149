/**
 * The add-node form's state and its check with the server's own schema (ZNodeCreate), so the
 * same rules give the same messages before and after a round trip.
 */
import { fieldErrorsFromZod } from "@/components/forms/field-errors";
import type { TFieldErrors } from "@/components/trpc/errors";
import { type TNodeCreate, ZNodeCreate } from "@/server/nodes/schema";

import { type TLabelRow, type TRowErrors, labelsFromRows } from "./labels-model";

export type TTlsForm = { ca: string; cert: string; key: string };

export type TNodeForm = {
  name: string;
  endpoint: string;
  advertiseAddress: string;
  tls: TTlsForm;
  labelRows: TLabelRow[];
};

export const EMPTY_NODE_FORM: TNodeForm = {
  name: "",
  endpoint: "",
  advertiseAddress: "",
  tls: { ca: "", cert: "", key: "" },
  labelRows: [],
};

/** TLS is used as soon as any certificate field has text; all three are then required. */
export function usesTls(tls: TTlsForm): boolean {
  return [tls.ca, tls.cert, tls.key].some((value) => value.trim() !== "");
}

type TNodeFormCheck =
  { ok: true; input: TNodeCreate } | { ok: false; errors: TFieldErrors; rowErrors: TRowErrors };

export function checkNodeForm(form: TNodeForm): TNodeFormCheck {
  const { labels, rowErrors } = labelsFromRows(form.labelRows);
  const advertiseAddress = form.advertiseAddress.trim();
  const result = ZNodeCreate.safeParse({
    name: form.name,
    endpoint: form.endpoint,
    advertiseAddress: advertiseAddress === "" ? undefined : advertiseAddress,
    tls: usesTls(form.tls) ? form.tls : undefined,
    labels,
  });
  if (result.success && Object.keys(rowErrors).length === 0) {
    return { ok: true, input: result.data };
  }

  return { ok: false, errors: result.success ? {} : fieldErrorsFromZod(result.error), rowErrors };
}
