"use client";

import type { ReactNode } from "react";

import { AuthGuard } from "@/components/auth/auth-guard";
import { AppShell } from "@/components/layout/app-shell";
import { LiveProvider } from "@/components/live/live-provider";

/** The signed-in area: checks the session, opens the live streams, draws the frame. */
export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <AuthGuard>
      <LiveProvider>
        <AppShell>{children}</AppShell>
      </LiveProvider>
    </AuthGuard>
  );
}
