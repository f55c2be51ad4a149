"use client";

import { KeyValueEditor, type TKeyValueWords } from "@/components/forms/key-value-editor";
import { MAX_LABELS } from "@/server/nodes/schema";

import type { TLabelRow, TRowErrors } from "./labels-model";

type TLabelsEditorProps = {
  rows: readonly TLabelRow[];
  onChange: (rows: TLabelRow[]) => void;
  rowErrors?: TRowErrors;
  /** Errors about the labels as a whole, e.g. too many. */
  errors?: readonly string[];
  isDisabled?: boolean;
};

const LABEL_WORDS: TKeyValueWords = {
  item: "Label",
  key: "key",
  keyPlaceholder: "key",
  addLabel: "Add label",
  emptyText: "No labels. Labels let apps pick nodes, e.g. zone=eu-1.",
};

/**
 * Key/value rows with add and remove. Each input is named "Label N key" / "Label N value", so
 * screen readers and tests can address a row.
 */
export function LabelsEditor(props: TLabelsEditorProps) {
  return <KeyValueEditor {...props} words={LABEL_WORDS} maxRows={MAX_LABELS} idPrefix="label" />;
}
