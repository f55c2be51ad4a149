import { type ReactNode, useId } from "react";

import { cx } from "./cx";

type TPanelProps = {
  title: ReactNode;
  /** Buttons or hints at the right of the title. */
  actions?: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  /** Removes the body padding, for tables that run edge to edge. */
  isFlush?: boolean;
};

/** A titled card; a `region` landmark named by its title, so tests and readers can find it. */
export function Panel({ title, actions, description, children, className, isFlush }: TPanelProps) {
  const titleId = useId();

  return (
    <section
      aria-labelledby={titleId}
      className={cx("min-w-0 rounded-lg border border-line bg-surface shadow-xs", className)}
    >
      <header
        className={cx("flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-line px-4 py-3")}
      >
        <div className="min-w-0 flex-1">
          <h2 id={titleId} className="text-sm font-semibold">
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-xs text-muted">{description}</p> : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </header>
      <div className={isFlush ? undefined : "p-4"}>{children}</div>
    </section>
  );
}
