import type { ReactNode } from "react";

import type { TTone } from "./badge";
import { cx } from "./cx";

const TONE_CLASSES: Record<Exclude<TTone, "neutral">, string> = {
  ok: "border-ok/30 bg-ok-soft",
  warn: "border-warn/30 bg-warn-soft",
  danger: "border-danger/30 bg-danger-soft",
  info: "border-info/30 bg-info-soft",
};

type TNoticeProps = {
  tone: Exclude<TTone, "neutral">;
  title?: ReactNode;
  children?: ReactNode;
  /** "alert" for errors the user just caused (announced at once); "status" otherwise. */
  role?: "alert" | "status";
  actions?: ReactNode;
  className?: string;
};

/** A boxed message inside a page or panel: refusals, warnings, hints. */
export function Notice({ tone, title, children, role, actions, className }: TNoticeProps) {
  return (
    <div
      role={role}
      className={cx(
        "flex flex-wrap items-start gap-x-4 gap-y-2 rounded-md border px-3 py-2.5 text-sm",
        TONE_CLASSES[tone],
        className,
      )}
    >
      <div className="min-w-0 flex-1 break-words">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={cx(title ? "mt-0.5 text-muted" : "")}>{children}</div> : null}
      </div>
      {actions ? <div className="flex shrink-0 gap-2">{actions}</div> : null}
    </div>
  );
}
