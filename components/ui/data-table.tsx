import type { ReactNode } from "react";

import { cx } from "./cx";

const HEAD_CLASS = "px-4 py-2 text-left text-xs font-medium tracking-wide text-muted uppercase";
const CELL_CLASS = "px-4 py-2.5 align-top";

type TTableProps = {
  /** The header row's cells, usually `HeadCell`s. */
  head: ReactNode;
  /** The body's rows (`<tr>`), which carry their own keys and test ids. */
  children: ReactNode;
};

/** A full-width table for a panel, scrolling sideways on its own when it does not fit. */
export function Table({ head, children }: TTableProps) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="border-b border-line bg-sunken/60">
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-line">{children}</tbody>
      </table>
    </div>
  );
}

type TCellProps = { children?: ReactNode; className?: string; "data-testid"?: string };

export function HeadCell({ children, className }: TCellProps) {
  return <th className={cx(HEAD_CLASS, className)}>{children}</th>;
}

export function Cell({ children, className, "data-testid": testId }: TCellProps) {
  return (
    <td className={cx(CELL_CLASS, className)} data-testid={testId}>
      {children}
    </td>
  );
}
