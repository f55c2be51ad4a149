import { cx } from "./cx";

export function Spinner({ className }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx(
        "inline-block size-3.5 animate-spin rounded-full",
        "border-2 border-current border-r-transparent",
        className,
      )}
    />
  );
}
