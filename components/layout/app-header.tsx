"use client";

import Link from "next/link";

import { AlertsBadge } from "@/components/alerts/alerts-badge";
import { useSession } from "@/components/auth/session";
import { ConnectionIndicator } from "@/components/live/connection-indicator";
import { Badge } from "@/components/ui/badge";
import { BerthMark } from "@/components/ui/icons";

import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";
import { cx } from "@/components/ui/cx";

/** The top bar: brand (phones), live state, alerts, theme, who is signed in, sign out. */
export function AppHeader() {
  const me = useSession();

  return (
    <header className="sticky top-0 z-20 border-b border-line bg-surface/90 backdrop-blur">
      <div className="flex h-14 items-center gap-2 px-4 md:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold md:hidden">
          <BerthMark className="size-6" />
          <span className="sr-only sm:not-sr-only">Berth</span>
        </Link>
        <div className="ml-auto flex min-w-0 items-center gap-2 sm:gap-3">
          <ConnectionIndicator />
          <AlertsBadge />
          <div className="hidden lg:block">
            <ThemeToggle isCompact />
          </div>
          <p
            className={cx(
              "flex min-w-0 flex-col items-end text-sm leading-tight",
              "sm:flex-row sm:items-center sm:gap-1.5",
            )}
          >
            <span className="sr-only">Signed in as </span>
            <span
              className="max-w-[6.5rem] truncate font-medium sm:max-w-[12rem]"
              data-testid="current-user"
            >
              {me.name}
            </span>
            <span className="sr-only">, role </span>
            <Badge
              tone={me.role === "viewer" ? "neutral" : "info"}
              className="max-sm:bg-transparent max-sm:px-0"
            >
              {me.role}
            </Badge>
          </p>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
