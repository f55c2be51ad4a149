"use client";

import { type ReactNode, useRef } from "react";

import { Button } from "@/components/ui/button";
import { PlusIcon } from "@/components/ui/icons";

type TRowListProps<TRow extends { rowId: string }> = {
  rows: readonly TRow[];
  onChange: (rows: TRow[]) => void;
  /** Capitalised, as in "Port 2"; also names the remove button, "Remove port 2". */
  item: string;
  addLabel: string;
  emptyText: string;
  maxRows: number;
  newRow: (rowId: string) => TRow;
  /** The row's inputs; `update` patches this row. */
  renderRow: (row: TRow, name: string, update: (patch: Partial<TRow>) => void) => ReactNode;
  /** Messages under the row, already labelled by field. */
  errorsOf: (row: TRow) => string[];
  /** Errors about the list as a whole. */
  errors?: readonly string[];
  isDisabled: boolean;
};

/** The id of a row's error line, for its inputs' `aria-describedby`. */
export function rowErrorId(rowId: string): string {
  return `${rowId}-error`;
}

/** Rows of several inputs with add and remove, for ports, volumes and constraints. */
export function RowList<TRow extends { rowId: string }>({
  rows,
  onChange,
  item,
  addLabel,
  emptyText,
  maxRows,
  newRow,
  renderRow,
  errorsOf,
  errors,
  isDisabled,
}: TRowListProps<TRow>) {
  const nextId = useRef(0);

  const add = () => {
    nextId.current += 1;
    onChange([...rows, newRow(`${item.toLowerCase()}-new-${nextId.current}`)]);
  };

  return (
    <div className="space-y-2">
      {rows.length === 0 ? <p className="text-sm text-muted">{emptyText}</p> : null}
      <ul className="space-y-2">
        {rows.map((row, index) => {
          const messages = errorsOf(row);
          const update = (patch: Partial<TRow>) =>
            onChange(
              rows.map((other) => (other.rowId === row.rowId ? { ...other, ...patch } : other)),
            );

          return (
            <li key={row.rowId}>
              <div className="flex flex-wrap items-start gap-2">
                {renderRow(row, `${item} ${index + 1}`, update)}
                <Button
                  variant="ghost"
                  size="sm"
                  className="mt-0.5 size-8 px-0"
                  onClick={() => onChange(rows.filter((other) => other.rowId !== row.rowId))}
                  disabled={isDisabled}
                  aria-label={`Remove ${item.toLowerCase()} ${index + 1}`}
                >
                  ×
                </Button>
              </div>
              {messages.length > 0 ? (
                <p
                  id={rowErrorId(row.rowId)}
                  className="mt-1 text-xs font-medium break-words text-danger"
                >
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
        {addLabel}
      </Button>
    </div>
  );
}
