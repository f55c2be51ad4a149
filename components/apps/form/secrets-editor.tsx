"use client";

import { KeyValueEditor, type TKeyValueWords } from "@/components/forms/key-value-editor";
import { MAX_SECRETS } from "@/server/apps/spec";

import type { TSectionProps } from "./section-props";

const SECRET_WORDS: TKeyValueWords = {
  item: "Secret",
  key: "name",
  keyPlaceholder: "NAME",
  addLabel: "Add secret",
  emptyText: "No secrets.",
};

/**
 * Secrets: given to the container as env, sealed at rest, never shown again. A secret read
 * back holds the mask, which the server keeps as the stored value; typing replaces it.
 */
export function SecretsEditor({ form, set, errors, isDisabled }: TSectionProps) {
  return (
    <KeyValueEditor
      rows={form.secretRows}
      onChange={(rows) => set("secretRows", rows)}
      words={SECRET_WORDS}
      maxRows={MAX_SECRETS}
      idPrefix="secret"
      rowErrors={errors.secretRows}
      errors={errors.fields.secrets}
      isDisabled={isDisabled}
      valueProps={{
        type: "password",
        autoComplete: "new-password",
        // A kept secret shows as the mask: selecting it on focus makes typing replace it whole.
        onFocus: (event) => event.currentTarget.select(),
      }}
    />
  );
}
