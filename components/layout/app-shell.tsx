"use client";

import Link from "next/link";
import type { ReactNode } from "react";

import { BerthMark } from "@/components/ui/icons";

import { AppHeader } from "./app-header";
import { BottomNav, SidebarNav } from "./nav-items";
import { cx } from "@/components/ui/cx";

/**
 * The console's frame: a sidebar from tablets up, a bottom bar on phones, a sticky header.
 * Content never scrolls sideways; wide tables scroll inside their own panel.
 */
export function AppShell({ children }: { children: ReactNode }) {
  return (
    <div className="min-h-dvh md:pl-56">
      <a
        href="#main"
        className={[
          "sr-only z-50 rounded-md bg-surface px-3 py-2 text-sm shadow",
          "focus:not-sr-only focus:fixed focus:top-2 focus:left-2",
        ].join(" ")}
      >
        Skip to content
      </a>
      <aside
        className={cx(
          "fixed inset-y-0 left-0 z-30 hidden w-56 flex-col border-r border-line bg-surface",
          "md:flex",
        )}
      >
        <Link href="/" className="flex h-14 items-center gap-2 px-4 font-semibold">
          <BerthMark className="size-6" />
          <span>Berth</span>
        </Link>
        <div className="pt-2">
          <SidebarNav />
        </div>
      </aside>
      <AppHeader />
      <main id="main" className="mx-auto w-full max-w-7xl px-4 pt-5 pb-24 md:px-6 md:pb-10">
        {children}
      </main>
      <BottomNav />
    </div>
  );
}
