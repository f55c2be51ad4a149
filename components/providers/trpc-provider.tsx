"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { type ReactNode, useState } from "react";
import superjson from "superjson";

import { redirectToLogin } from "@/components/auth/login-redirect";
import { TRPCProvider } from "@/components/trpc/client";
import { isUnauthorized, shouldRetryQuery } from "@/components/trpc/errors";
import type { AppRouter } from "@/server/api/root";

const API_URL = "/api/trpc";
/** Live views are kept fresh by subscriptions; this only bounds refetches on remount. */
const QUERY_STALE_MS = 15_000;

/** A call refused for lack of a session means it expired or was revoked: sign in again. */
function onApiError(error: unknown): void {
  // On /login itself a refused sign-in is a wrong password, shown by the form instead.
  if (isUnauthorized(error)) {
    redirectToLogin();
  }
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onApiError }),
    mutationCache: new MutationCache({ onError: onApiError }),
    defaultOptions: {
      queries: { staleTime: QUERY_STALE_MS, retry: shouldRetryQuery },
      mutations: { retry: false },
    },
  });
}

function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({ url: API_URL, transformer: superjson }),
        false: httpBatchLink({ url: API_URL, transformer: superjson }),
      }),
    ],
  });
}

/** TanStack Query and the tRPC client, created once per browser tab. */
export function TrpcProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(makeTrpcClient);

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
