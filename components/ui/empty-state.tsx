import type { ReactNode } from "react";

type TEmptyStateProps = { title: ReactNode; children?: ReactNode; actions?: ReactNode };

/** What to show instead of an empty list: what it means and what to do next. */
export function EmptyState({ title, children, actions }: TEmptyStateProps) {
  return (
    <div className="flex flex-col items-center px-4 py-10 text-center">
      <p className="text-sm font-medium">{title}</p>
      {children ? <div className="mt-1 max-w-prose text-sm text-muted">{children}</div> : null}
      {actions ? <div className="mt-4 flex flex-wrap justify-center gap-2">{actions}</div> : null}
    </div>
  );
}
