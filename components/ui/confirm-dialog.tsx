"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";

import { Button } from "./button";
import { Notice } from "./notice";

type TConfirmDialogProps = {
  isOpen: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  isDanger?: boolean;
  isBusy?: boolean;
  /** The server's refusal, shown inside the dialog so the user sees why nothing happened. */
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
};

/**
 * A modal confirmation built on <dialog>: the browser traps focus, closes it on Escape and
 * exposes it as role "dialog" named by its title.
 */
export function ConfirmDialog({
  isOpen,
  title,
  children,
  confirmLabel,
  isDanger = false,
  isBusy = false,
  error,
  onConfirm,
  onClose,
}: TConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) {
      return;
    }
    if (isOpen && !dialog.open) {
      dialog.showModal();
    } else if (!isOpen && dialog.open) {
      dialog.close();
    }
  }, [isOpen]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className={[
        "m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-line bg-surface p-0",
        "text-fg shadow-2xl backdrop:bg-black/50",
      ].join(" ")}
    >
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        {children ? <div className="mt-2 text-sm text-muted">{children}</div> : null}
        {error ? (
          <Notice tone="danger" role="alert" className="mt-4">
            {error}
          </Notice>
        ) : null}
      </div>
      <div className="flex justify-end gap-2 border-t border-line bg-sunken/50 px-5 py-3">
        <Button onClick={onClose} disabled={isBusy}>
          Cancel
        </Button>
        <Button variant={isDanger ? "danger" : "primary"} onClick={onConfirm} isBusy={isBusy}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
