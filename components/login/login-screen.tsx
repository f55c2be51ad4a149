"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect } from "react";

import { ThemeToggle } from "@/components/layout/theme-toggle";
import { useTRPC } from "@/components/trpc/client";
import { BerthMark } from "@/components/ui/icons";
import { QueryErrorNotice } from "@/components/ui/query-error-notice";
import { Skeleton } from "@/components/ui/skeleton";

import { SetupForm } from "./setup-form";
import { SignInForm } from "./sign-in-form";
import { returnPath } from "./return-path";

/** /login: first-run set-up when no user exists yet, sign-in otherwise. */
export function LoginScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.user.setupStatus.queryOptions());
  // Someone already signed in has nothing to do here.
  const me = useQuery(trpc.user.me.queryOptions(undefined, { retry: false }));

  const enter = useCallback(() => {
    // Drop what was cached while signed out (the failed session check) before entering.
    queryClient.clear();
    router.replace(returnPath());
  }, [queryClient, router]);

  useEffect(() => {
    if (me.isSuccess) {
      router.replace(returnPath());
    }
  }, [me.isSuccess, router]);

  const needsSetup = status.data?.needsSetup === true;

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center text-center">
          <BerthMark className="size-10" />
          <h1 className="mt-3 text-xl font-semibold tracking-tight">
            {needsSetup
              ? "Create the first admin"
              : status.isSuccess
                ? "Sign in to Berth"
                : "Berth"}
          </h1>
          <p className="mt-1 text-sm text-muted">
            {needsSetup
              ? "Berth has no users yet. This account will manage users, tokens and nodes."
              : "Containers across your Docker hosts, in one place."}
          </p>
        </div>
        <div className="rounded-lg border border-line bg-surface p-5 shadow-xs">
          {status.isPending ? (
            <div role="status" aria-label="Loading" className="space-y-4">
              <Skeleton className="h-9" />
              <Skeleton className="h-9" />
              <Skeleton className="h-9" />
            </div>
          ) : status.isError ? (
            <QueryErrorNotice
              title="Berth is not answering"
              error={status.error}
              onRetry={() => void status.refetch()}
            />
          ) : needsSetup ? (
            <SetupForm onCreated={enter} />
          ) : (
            <SignInForm onSignedIn={enter} />
          )}
        </div>
        <div className="mt-6 flex justify-center">
          <ThemeToggle isCompact />
        </div>
      </div>
    </main>
  );
}
