"use client";

import { useEffect, useState } from "react";

import { cx } from "@/components/ui/cx";

/** How long "copied" shows after a click. */
const COPIED_FEEDBACK_MS = 1_500;

type TCopyTextProps = {
  /** What is shown. */
  text: string;
  /** What is copied, when it differs from what is shown (e.g. only `host:port`). */
  value?: string;
  className?: string;
};

/** A monospaced value that copies itself on click; says so briefly, or why it could not. */
export function CopyText({ text, value = text, className }: TCopyTextProps) {
  const [result, setResult] = useState<"copied" | "failed" | null>(null);

  useEffect(() => {
    if (!result) {
      return;
    }
    const timer = window.setTimeout(() => setResult(null), COPIED_FEEDBACK_MS);

    return () => window.clearTimeout(timer);
  }, [result]);

  const copy = () => {
    // Insecure origins have no clipboard: the failure then lands in the rejection below.
    void Promise.resolve()
      .then(() => navigator.clipboard.writeText(value))
      .then(
        () => setResult("copied"),
        () => setResult("failed"),
      );
  };

  return (
    <button
      type="button"
      onClick={copy}
      title={`Copy ${value}`}
      data-testid="copy-text"
      className={cx(
        "inline-flex max-w-full items-center gap-1.5 rounded px-1 text-left font-mono text-xs",
        "wrap-anywhere hover:bg-sunken",
        className,
      )}
    >
      <span>{text}</span>
      {result ? (
        <span role="status" className="font-sans text-[11px] text-muted">
          {result === "copied" ? "copied" : "copy refused"}
        </span>
      ) : null}
    </button>
  );
}
