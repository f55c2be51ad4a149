"use client";

import { type ReactNode, useState } from "react";

import { ChevronIcon } from "@/components/ui/icons";

const CHEVRON_CLASS = "size-4 shrink-0 text-muted transition-transform group-open:rotate-90";

type TFormSectionProps = {
  title: string;
  /** One line under the title saying what the section is for. */
  summary?: ReactNode;
  /** Open at first, e.g. when editing an app that uses the section. */
  isInitiallyOpen?: boolean;
  /** Errors inside force the section open, so no message is hidden. */
  hasErrors?: boolean;
  children: ReactNode;
};

/**
 * A collapsible part of the form for settings most apps leave at their defaults, so the
 * simple path stays short.
 */
export function FormSection({
  title,
  summary,
  isInitiallyOpen = false,
  hasErrors = false,
  children,
}: TFormSectionProps) {
  const [isOpen, setIsOpen] = useState(isInitiallyOpen);

  return (
    <details
      open={isOpen || hasErrors}
      onToggle={(event) => setIsOpen(event.currentTarget.open)}
      className="group rounded-md border border-line"
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 px-3 py-2 select-none">
        <ChevronIcon className={CHEVRON_CLASS} />
        <span className="text-sm font-medium">{title}</span>
        {hasErrors ? (
          <span className="text-xs font-medium text-danger">needs attention</span>
        ) : null}
        {summary ? <span className="min-w-0 truncate text-xs text-muted">{summary}</span> : null}
      </summary>
      <div className="space-y-4 border-t border-line p-3">{children}</div>
    </details>
  );
}
