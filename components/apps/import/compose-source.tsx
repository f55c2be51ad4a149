"use client";

import { type ChangeEvent, useState } from "react";

import { buttonClass } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { TextAreaField } from "@/components/ui/field";
import { MAX_COMPOSE_BYTES } from "@/server/apps/compose";
import { describeBytes } from "@/server/apps/spec";

type TComposeSourceProps = {
  text: string;
  onChange: (text: string) => void;
  isDisabled: boolean;
};

const PLACEHOLDER = `services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    deploy:
      replicas: 2`;

/** The Compose text: typed or pasted, or read from a .yml file picked on this device. */
export function ComposeSource({ text, onChange, isDisabled }: TComposeSourceProps) {
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared, so picking the same file again after an edit reads it again.
    event.target.value = "";
    if (!file) {
      return;
    }
    if (file.size > MAX_COMPOSE_BYTES) {
      const limit = describeBytes(MAX_COMPOSE_BYTES);
      setFileError(
        `${file.name} is ${describeBytes(file.size)}; Compose files must be at most ${limit}.`,
      );

      return;
    }
    setFileError(null);
    setFileName(file.name);
    onChange(await file.text());
  };

  return (
    <div className="space-y-3">
      <TextAreaField
        label="Compose file"
        name="compose"
        rows={14}
        value={text}
        placeholder={PLACEHOLDER}
        onChange={(event) => onChange(event.target.value)}
        disabled={isDisabled}
        spellCheck={false}
        autoCapitalize="none"
        autoCorrect="off"
        errors={fileError ? [fileError] : undefined}
        hint="Paste a docker-compose.yml or choose the file. Nothing is imported until you say so."
      />
      <div className="flex flex-wrap items-center gap-3">
        <label
          className={cx(
            buttonClass("secondary", "sm"),
            "cursor-pointer focus-within:outline-2 focus-within:outline-focus",
          )}
        >
          <input
            type="file"
            accept=".yml,.yaml,application/yaml,text/yaml"
            className="sr-only"
            disabled={isDisabled}
            onChange={(event) => void pick(event)}
          />
          Choose a .yml file
        </label>
        {fileName ? (
          <span className="min-w-0 text-xs wrap-anywhere text-muted">Read {fileName}</span>
        ) : null}
      </div>
    </div>
  );
}
