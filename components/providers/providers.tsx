"use client";

import type { ReactNode } from "react";

import { ToastProvider } from "./toast-provider";
import { TrpcProvider } from "./trpc-provider";

/** Everything every page needs: data access and toasts. */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <TrpcProvider>
      <ToastProvider>{children}</ToastProvider>
    </TrpcProvider>
  );
}
