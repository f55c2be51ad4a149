import Link from "next/link";
import type { ButtonHTMLAttributes, ComponentProps } from "react";

import { cx } from "./cx";
import { Spinner } from "./spinner";

type TVariant = "primary" | "secondary" | "danger" | "ghost";
type TSize = "sm" | "md";

const VARIANT_CLASSES: Record<TVariant, string> = {
  primary: "bg-accent text-accent-fg hover:bg-accent-hover border-transparent",
  secondary: "bg-surface text-fg border-line-strong hover:bg-sunken",
  danger: "bg-danger text-white border-transparent hover:opacity-90 dark:text-canvas",
  ghost: "bg-transparent text-muted border-transparent hover:bg-sunken hover:text-fg",
};

const SIZE_CLASSES: Record<TSize, string> = {
  sm: "h-8 px-2.5 text-xs gap-1.5",
  md: "h-9 px-3.5 text-sm gap-2",
};

/** The class list of a button, for links that look like buttons too. */
export function buttonClass(variant: TVariant = "secondary", size: TSize = "md"): string {
  return cx(
    "inline-flex shrink-0 items-center justify-center rounded-md border font-medium",
    "whitespace-nowrap transition-colors select-none",
    "disabled:cursor-not-allowed disabled:opacity-50",
    VARIANT_CLASSES[variant],
    SIZE_CLASSES[size],
  );
}

type TButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: TVariant;
  size?: TSize;
  /** Shows a spinner and disables the button while an action runs. */
  isBusy?: boolean;
};

export function Button({
  variant,
  size,
  isBusy = false,
  className,
  children,
  disabled,
  type = "button",
  ...props
}: TButtonProps) {
  return (
    <button
      type={type}
      className={cx(buttonClass(variant, size), className)}
      disabled={disabled || isBusy}
      aria-busy={isBusy || undefined}
      {...props}
    >
      {isBusy ? <Spinner /> : null}
      {children}
    </button>
  );
}

type TButtonLinkProps = ComponentProps<typeof Link> & { variant?: TVariant; size?: TSize };

export function ButtonLink({ variant, size, className, ...props }: TButtonLinkProps) {
  return <Link className={cx(buttonClass(variant, size), className)} {...props} />;
}
