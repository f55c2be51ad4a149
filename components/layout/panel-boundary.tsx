"use client";

import { type ErrorInfo, catchError } from "next/error";

import { errorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";

type TPanelBoundaryProps = { title: string };

function PanelFallback({ title }: TPanelBoundaryProps, { error, retry }: ErrorInfo) {
  return (
    <section
      role="alert"
      aria-label={title}
      className="rounded-lg border border-danger/30 bg-danger-soft p-4 text-sm"
    >
      <p className="font-medium">{title} could not be shown.</p>
      <p className="mt-1 break-words text-muted">{errorMessage(error)}</p>
      <Button size="sm" className="mt-3" onClick={() => retry()}>
        Try again
      </Button>
    </section>
  );
}

/**
 * An error boundary around one independent panel: if it fails, only that panel says so and
 * offers a retry, while the rest of the page keeps working. Usage:
 * `<PanelBoundary title="Containers"><ContainersPanel /></PanelBoundary>`.
 */
export const PanelBoundary = catchError(PanelFallback);
