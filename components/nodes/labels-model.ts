/**
 * The label editor's rows and their translation to and from a labels object. Pure, so the
 * rules (blank rows ignored, duplicate keys refused) are tested without a browser.
 */
import type { TKeyValueRow, TRowErrors } from "@/components/forms/key-value-editor";
import type { TFieldErrors } from "@/components/trpc/errors";

export type TLabelRow = TKeyValueRow;

export type { TRowErrors };

/** Rows for existing labels, in key order, with ids stable across renders. */
export function rowsFromLabels(labels: Record<string, string>): TLabelRow[] {
  return Object.keys(labels)
    .toSorted()
    .map((key, index) => ({ rowId: `label-${index}`, key, value: labels[key] ?? "" }));
}

/**
 * The labels the rows describe. Entirely blank rows are skipped; a value without a key and a
 * key used twice are errors on their rows (keyed by row id), and the labels are then not usable.
 */
export function labelsFromRows(rows: readonly TLabelRow[]): {
  labels: Record<string, string>;
  rowErrors: TRowErrors;
} {
  const labels: Record<string, string> = {};
  const rowErrors: TRowErrors = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key === "" && row.value === "") {
      continue;
    }
    if (key === "") {
      rowErrors[row.rowId] = ["a label needs a key"];
      continue;
    }
    if (key in labels) {
      rowErrors[row.rowId] = [`the key ${key} is used twice`];
      continue;
    }
    labels[key] = row.value;
  }

  return { labels, rowErrors };
}

/** Places errors keyed `labels.<key>` (client or server) on the rows holding that key. */
export function rowErrorsFromFieldErrors(
  rows: readonly TLabelRow[],
  errors: TFieldErrors,
): TRowErrors {
  const rowErrors: TRowErrors = {};
  for (const row of rows) {
    const messages = errors[`labels.${row.key.trim()}`];
    if (messages && row.key.trim() !== "") {
      rowErrors[row.rowId] = messages;
    }
  }

  return rowErrors;
}
