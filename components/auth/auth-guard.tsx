"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { useTRPC } from "@/components/trpc/client";
import { errorMessage, isUnauthorized } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";

import { SessionProvider } from "./session";

/** Who the user is rarely changes; a role change shows after this or a reload. */
const ME_STALE_MS = 60_000;

function GuardScreen({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh items-center justify-center p-6">
      <div className="w-full max-w-sm text-center">{children}</div>
    </div>
  );
}

/**
 * Lets the console render only for a signed-in user. Without a session, the query cache's
 * error handler sends the browser to /login; other failures get a retry button.
 */
export function AuthGuard({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.user.me.queryOptions(undefined, { staleTime: ME_STALE_MS }));

  if (me.isPending) {
    return (
      <GuardScreen>
        <div role="status" aria-label="Checking your session" className="space-y-3">
          <Skeleton className="mx-auto h-6 w-32" />
          <Skeleton className="h-4 w-full" />
        </div>
      </GuardScreen>
    );
  }
  if (me.isError) {
    return (
      <GuardScreen>
        {isUnauthorized(me.error) ? (
          <p role="status" className="text-sm text-muted">
            Taking you to sign in…
          </p>
        ) : (
          <div role="alert" className="space-y-4">
            <p className="text-sm">{errorMessage(me.error)}</p>
            <Button variant="primary" onClick={() => void me.refetch()}>
              Try again
            </Button>
          </div>
        )}
      </GuardScreen>
    );
  }

  return <SessionProvider me={me.data}>{children}</SessionProvider>;
}
