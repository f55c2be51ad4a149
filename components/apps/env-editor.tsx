"use client";

import { useRef } from "react";

import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { inputClass } from "@/components/ui/field";
import { PlusIcon } from "@/components/ui/icons";
import { MAX_ENV_ENTRIES } from "@/server/apps/spec";

import type { TEnvRow } from "./app-form-model";

type TEnvEditorProps = {
  rows: readonly TEnvRow[];
  onChange: (rows: TEnvRow[]) => void;
  errors?: readonly string[];
  isDisabled?: boolean;
};

/** NAME = value rows; inputs are named "Env N name" / "Env N value" for readers and tests. */
export function EnvEditor({ rows, onChange, errors, isDisabled }: TEnvEditorProps) {
  const nextId = useRef(0);

  const update = (id: number, patch: Partial<TEnvRow>) => {
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  };
  const add = () => {
    nextId.current += 1;
    onChange([...rows, { id: nextId.current, key: "", value: "" }]);
  };

  return (
    <div className="space-y-2">
      {rows.length === 0 ? (
        <p className="text-sm text-muted">
          No variables. The image&apos;s own environment applies.
        </p>
      ) : null}
      <ul className="space-y-2">
        {rows.map((row, index) => (
          <li key={row.id} className="flex items-start gap-2">
            <input
              aria-label={`Env ${index + 1} name`}
              placeholder="NAME"
              autoCapitalize="none"
              spellCheck={false}
              value={row.key}
              disabled={isDisabled}
              onChange={(event) => update(row.id, { key: event.target.value })}
              className={cx(inputClass, "flex-1 font-mono text-xs")}
            />
            <span aria-hidden="true" className="pt-2 text-muted">
              =
            </span>
            <input
              aria-label={`Env ${index + 1} value`}
              placeholder="value"
              spellCheck={false}
              value={row.value}
              disabled={isDisabled}
              onChange={(event) => update(row.id, { value: event.target.value })}
              className={cx(inputClass, "flex-1 font-mono text-xs")}
            />
            <Button
              variant="ghost"
              size="sm"
              className="mt-0.5 size-8 px-0"
              onClick={() => onChange(rows.filter((other) => other.id !== row.id))}
              disabled={isDisabled}
              aria-label={`Remove env ${index + 1}`}
            >
              ×
            </Button>
          </li>
        ))}
      </ul>
      {errors && errors.length > 0 ? (
        <p className="text-xs font-medium break-words text-danger">{errors.join(" ")}</p>
      ) : null}
      <Button size="sm" onClick={add} disabled={isDisabled || rows.length >= MAX_ENV_ENTRIES}>
        <PlusIcon className="size-3.5" />
        Add variable
      </Button>
    </div>
  );
}
