"use client";

import { errorMessage } from "@/components/trpc/errors";
import { Button, ButtonLink } from "@/components/ui/button";

type TRouteErrorProps = { error: unknown; retry: () => void; title?: string };

/** The body of every `error.tsx`: what failed, in words, and two ways out. Never a stack. */
export function RouteError({ error, retry, title = "This page failed to load" }: TRouteErrorProps) {
  return (
    <div role="alert" className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm break-words text-muted">{errorMessage(error)}</p>
      <div className="mt-6 flex justify-center gap-2">
        <Button variant="primary" onClick={() => retry()}>
          Try again
        </Button>
        <ButtonLink href="/">Go to overview</ButtonLink>
      </div>
    </div>
  );
}
