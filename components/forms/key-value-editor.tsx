"use client";

import { type InputHTMLAttributes, useRef } from "react";

import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { inputClass } from "@/components/ui/field";
import { PlusIcon } from "@/components/ui/icons";

/** One key/value row; `rowId` stays the same while the row is edited, for keys and errors. */
export type TKeyValueRow = { rowId: string; key: string; value: string };

/** Messages shown under a row, keyed by its `rowId`. */
export type TRowErrors = Record<string, string[]>;

/** How the editor names what it holds, in its labels and buttons. */
export type TKeyValueWords = {
  /** Capitalised, in input labels: "Label" gives "Label 2 key". */
  item: string;
  /** What the key is called: "key" or "name". */
  key: string;
  keyPlaceholder: string;
  addLabel: string;
  /** Shown while there are no rows. */
  emptyText: string;
};

type TKeyValueEditorProps = {
  rows: readonly TKeyValueRow[];
  onChange: (rows: TKeyValueRow[]) => void;
  words: TKeyValueWords;
  maxRows: number;
  /** Prefix of new rows' ids, so they never collide with ids made from stored data. */
  idPrefix: string;
  rowErrors?: TRowErrors;
  /** Errors about the rows as a whole, e.g. too many. */
  errors?: readonly string[];
  isDisabled?: boolean;
  /** Extra props of every value input, e.g. `type: "password"` for secrets. */
  valueProps?: InputHTMLAttributes<HTMLInputElement>;
};

/**
 * Key = value rows with add and remove. Each input is named "<Item> N <key>" / "<Item> N
 * value", and each remove button "Remove <item> N", so screen readers and tests can address a
 * row.
 */
export function KeyValueEditor({
  rows,
  onChange,
  words,
  maxRows,
  idPrefix,
  rowErrors = {},
  errors,
  isDisabled,
  valueProps,
}: TKeyValueEditorProps) {
  const nextId = useRef(0);

  const update = (rowId: string, patch: Partial<TKeyValueRow>) => {
    onChange(rows.map((row) => (row.rowId === rowId ? { ...row, ...patch } : row)));
  };
  const add = () => {
    nextId.current += 1;
    onChange([...rows, { rowId: `${idPrefix}-new-${nextId.current}`, key: "", value: "" }]);
  };
  const remove = (rowId: string) => onChange(rows.filter((row) => row.rowId !== rowId));

  return (
    <div className="space-y-2">
      {rows.length === 0 ? <p className="text-sm text-muted">{words.emptyText}</p> : null}
      <ul className="space-y-2">
        {rows.map((row, index) => {
          const messages = rowErrors[row.rowId];
          const errorId = `${row.rowId}-error`;
          const described = messages ? errorId : undefined;
          const name = `${words.item} ${index + 1}`;

          return (
            <li key={row.rowId}>
              <div className="flex items-start gap-2">
                <input
                  aria-label={`${name} ${words.key}`}
                  placeholder={words.keyPlaceholder}
                  autoCapitalize="none"
                  spellCheck={false}
                  value={row.key}
                  disabled={isDisabled}
                  onChange={(event) => update(row.rowId, { key: event.target.value })}
                  aria-invalid={messages ? true : undefined}
                  aria-describedby={described}
                  className={cx(inputClass, "flex-1 font-mono text-xs")}
                />
                <span aria-hidden="true" className="pt-2 text-muted">
                  =
                </span>
                <input
                  aria-label={`${name} value`}
                  placeholder="value"
                  spellCheck={false}
                  value={row.value}
                  disabled={isDisabled}
                  onChange={(event) => update(row.rowId, { value: event.target.value })}
                  aria-describedby={described}
                  className={cx(inputClass, "flex-1 font-mono text-xs")}
                  {...valueProps}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  className="mt-0.5 size-8 px-0"
                  onClick={() => remove(row.rowId)}
                  disabled={isDisabled}
                  aria-label={`Remove ${words.item.toLowerCase()} ${index + 1}`}
                >
                  ×
                </Button>
              </div>
              {messages ? (
                <p id={errorId} className="mt-1 text-xs font-medium break-words text-danger">
                  {messages.join(" ")}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {errors && errors.length > 0 ? (
        <p className="text-xs font-medium break-words text-danger">{errors.join(" ")}</p>
      ) : null}
      <Button size="sm" onClick={add} disabled={isDisabled || rows.length >= maxRows}>
        <PlusIcon className="size-3.5" />
        {words.addLabel}
      </Button>
    </div>
  );
}
