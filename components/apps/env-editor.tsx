"use client";

import {
  KeyValueEditor,
  type TKeyValueWords,
  type TRowErrors,
} from "@/components/forms/key-value-editor";
import { MAX_ENV_ENTRIES } from "@/server/apps/spec";

import type { TEnvRow } from "./app-form-model";

type TEnvEditorProps = {
  rows: readonly TEnvRow[];
  onChange: (rows: TEnvRow[]) => void;
  /** Errors on one variable, keyed by its row. */
  rowErrors?: TRowErrors;
  /** Errors about the environment as a whole, e.g. its total size. */
  errors?: readonly string[];
  isDisabled?: boolean;
};

const ENV_WORDS: TKeyValueWords = {
  item: "Env",
  key: "name",
  keyPlaceholder: "NAME",
  addLabel: "Add variable",
  emptyText: "No variables. The image's own environment applies.",
};

/** NAME = value rows; inputs are named "Env N name" / "Env N value" for readers and tests. */
export function EnvEditor(props: TEnvEditorProps) {
  return <KeyValueEditor {...props} words={ENV_WORDS} maxRows={MAX_ENV_ENTRIES} idPrefix="env" />;
}
