"use client";

import { type ReactNode, createContext, useCallback, useContext, useMemo, useState } from "react";

import { cx } from "@/components/ui/cx";

/** How long a toast stays before it dismisses itself. */
const TOAST_DURATION_MS = 5_000;
/** Older toasts give way so the stack never covers the page. */
const MAX_TOASTS = 3;

type TToastTone = "success" | "error" | "info";
type TToast = { id: number; tone: TToastTone; message: string };
type TNotify = (tone: TToastTone, message: string) => void;

const ToastContext = createContext<TNotify | null>(null);

const TONE_CLASSES: Record<TToastTone, string> = {
  success: "border-ok/40 before:bg-ok",
  error: "border-danger/40 before:bg-danger",
  info: "border-line-strong before:bg-info",
};

let nextToastId = 1;

/** Brief confirmations after actions, announced to screen readers through a polite live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<TToast[]>([]);

  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const notify = useCallback<TNotify>(
    (tone, message) => {
      const id = nextToastId++;
      setToasts((current) => [...current.slice(1 - MAX_TOASTS), { id, tone, message }]);
      window.setTimeout(() => dismiss(id), TOAST_DURATION_MS);
    },
    [dismiss],
  );

  const value = useMemo(() => notify, [notify]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        role="status"
        aria-live="polite"
        className={cx(
          "pointer-events-none fixed inset-x-3 top-3 z-50 flex flex-col gap-2",
          "sm:inset-x-auto sm:top-auto sm:right-4 sm:bottom-4 sm:w-96",
        )}
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={cx(
              "pointer-events-auto relative flex items-start gap-3 overflow-hidden rounded-lg",
              "border bg-surface py-2.5 pr-2 pl-4 text-sm shadow-lg",
              "before:absolute before:inset-y-0 before:left-0 before:w-1",
              TONE_CLASSES[toast.tone],
            )}
          >
            <p className="min-w-0 flex-1 break-words">{toast.message}</p>
            <button
              type="button"
              onClick={() => dismiss(toast.id)}
              className="rounded px-1.5 text-muted hover:bg-sunken hover:text-fg"
              aria-label="Dismiss"
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** `notify("success", "Node n1 cordoned")`. */
export function useToast(): TNotify {
  const notify = useContext(ToastContext);
  if (!notify) {
    throw new Error("useToast needs a ToastProvider above it");
  }

  return notify;
}
