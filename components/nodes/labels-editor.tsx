"use client";

import { useRef } from "react";

import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { inputClass } from "@/components/ui/field";
import { PlusIcon } from "@/components/ui/icons";
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

/**
 * Key/value rows with add and remove. Each input is named "Label N key" / "Label N value", so
 * screen readers and tests can address a row.
 */
export function LabelsEditor({
  rows,
  onChange,
  rowErrors = {},
  errors,
  isDisabled,
}: TLabelsEditorProps) {
  const nextId = useRef(0);

  const update = (rowId: string, patch: Partial<TLabelRow>) => {
    onChange(rows.map((row) => (row.rowId === rowId ? { ...row, ...patch } : row)));
  };
  const add = () => {
    nextId.current += 1;
    onChange([...rows, { rowId: `new-${nextId.current}`, key: "", value: "" }]);
  };
  const remove = (rowId: string) => onChange(rows.filter((row) => row.rowId !== rowId));

  return (
    <div className="space-y-2">
      {rows.length === 0 ? (
        <p className="text-sm text-muted">No labels. Labels let apps pick nodes, e.g. zone=eu-1.</p>
      ) : null}
      <ul className="space-y-2">
        {rows.map((row, index) => {
          const messages = rowErrors[row.rowId];
          const errorId = `${row.rowId}-error`;

          return (
            <li key={row.rowId}>
              <div className="flex items-start gap-2">
                <input
                  aria-label={`Label ${index + 1} key`}
                  placeholder="key"
                  autoCapitalize="none"
                  spellCheck={false}
                  value={row.key}
                  disabled={isDisabled}
                  onChange={(event) => update(row.rowId, { key: event.target.value })}
                  aria-invalid={messages ? true : undefined}
                  aria-describedby={messages ? errorId : undefined}
                  className={cx(inputClass, "flex-1 font-mono text-xs")}
                />
                <span aria-hidden="true" className="pt-2 text-muted">
                  =
                </span>
                <input
                  aria-label={`Label ${index + 1} value`}
                  placeholder="value"
                  value={row.value}
                  disabled={isDisabled}
                  onChange={(event) => update(row.rowId, { value: event.target.value })}
                  className={cx(inputClass, "flex-1 font-mono text-xs")}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  className="mt-0.5 size-8 px-0"
                  onClick={() => remove(row.rowId)}
                  disabled={isDisabled}
                  aria-label={`Remove label ${index + 1}`}
                >
                  ×
                </Button>
              </div>
              {messages ? (
                <p id={errorId} className="mt-1 text-xs font-medium text-danger">
                  {messages.join(" ")}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {errors && errors.length > 0 ? (
        <p className="text-xs font-medium text-danger">{errors.join(" ")}</p>
      ) : null}
      <Button size="sm" onClick={add} disabled={isDisabled || rows.length >= MAX_LABELS}>
        <PlusIcon className="size-3.5" />
        Add label
      </Button>
    </div>
  );
}
