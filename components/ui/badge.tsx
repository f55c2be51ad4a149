import type { ReactNode } from "react";

import { cx } from "./cx";

export type TTone = "ok" | "warn" | "danger" | "info" | "neutral";

const TONE_CLASSES: Record<TTone, string> = {
  ok: "bg-ok-soft text-ok",
  warn: "bg-warn-soft text-warn",
  danger: "bg-danger-soft text-danger",
  info: "bg-info-soft text-info",
  neutral: "bg-sunken text-muted",
};

const DOT_CLASSES: Record<TTone, string> = {
  ok: "bg-ok",
  warn: "bg-warn",
  danger: "bg-danger",
  info: "bg-info",
  neutral: "bg-faint",
};

type TBadgeProps = {
  tone: TTone;
  children: ReactNode;
  /** A leading dot, for states (ready, running) rather than tags. */
  hasDot?: boolean;
  className?: string;
  "data-testid"?: string;
};

export function Badge({ tone, children, hasDot = false, className, ...rest }: TBadgeProps) {
  return (
    <span
      className={cx(
        "inline-flex max-w-full items-center gap-1.5 rounded-full px-2 py-0.5",
        "text-xs leading-4 font-medium whitespace-nowrap",
        TONE_CLASSES[tone],
        className,
      )}
      {...rest}
    >
      {hasDot ? (
        <span aria-hidden="true" className={cx("size-1.5 rounded-full", DOT_CLASSES[tone])} />
      ) : null}
      {children}
    </span>
  );
}

/** A key=value tag, e.g. a node label. Long values wrap instead of widening the page. */
export function Chip({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <span
      className={cx(
        "inline-block max-w-full rounded border border-line bg-sunken px-1.5 py-px",
        "font-mono text-[11px] leading-4 wrap-anywhere text-muted",
        className,
      )}
    >
      {children}
    </span>
  );
}
