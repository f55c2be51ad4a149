"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType } from "react";

import { NavAlertCount } from "@/components/alerts/alerts-badge";
import { cx } from "@/components/ui/cx";
import {
  AlertsIcon,
  AppsIcon,
  ContainersIcon,
  EventsIcon,
  NodesIcon,
  OverviewIcon,
  SettingsIcon,
} from "@/components/ui/icons";

type TNavItem = { href: string; label: string; Icon: ComponentType<{ className?: string }> };

export const NAV_ITEMS: readonly TNavItem[] = [
  { href: "/", label: "Overview", Icon: OverviewIcon },
  { href: "/nodes", label: "Nodes", Icon: NodesIcon },
  { href: "/apps", label: "Apps", Icon: AppsIcon },
  { href: "/containers", label: "Containers", Icon: ContainersIcon },
  { href: "/events", label: "Events", Icon: EventsIcon },
  { href: "/alerts", label: "Alerts", Icon: AlertsIcon },
  { href: "/settings", label: "Settings", Icon: SettingsIcon },
];

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** The desktop sidebar's links. */
export function SidebarNav() {
  const pathname = usePathname();

  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 px-2">
      {NAV_ITEMS.map(({ href, label, Icon }) => {
        const isCurrent = isActive(pathname, href);

        return (
          <Link
            key={href}
            href={href}
            aria-current={isCurrent ? "page" : undefined}
            className={cx(
              "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium",
              isCurrent ? "bg-accent-soft text-accent" : "text-muted hover:bg-sunken hover:text-fg",
            )}
          >
            <Icon className="size-4" />
            {label}
            {href === "/alerts" ? <NavAlertCount /> : null}
          </Link>
        );
      })}
    </nav>
  );
}

/** The phone's bottom bar: the same links, thumb-sized. */
export function BottomNav() {
  const pathname = usePathname();

  return (
    <nav
      aria-label="Main"
      className={cx(
        "fixed inset-x-0 bottom-0 z-30 border-t border-line bg-surface/95 backdrop-blur md:hidden",
        "pb-[env(safe-area-inset-bottom)]",
      )}
    >
      {/* One equal column per item, however many there are. */}
      <ul className="grid auto-cols-[minmax(0,1fr)] grid-flow-col">
        {NAV_ITEMS.map(({ href, label, Icon }) => {
          const isCurrent = isActive(pathname, href);

          return (
            <li key={href}>
              <Link
                href={href}
                aria-current={isCurrent ? "page" : undefined}
                className={cx(
                  "flex h-14 flex-col items-center justify-center gap-0.5 text-[10px] font-medium",
                  isCurrent ? "text-accent" : "text-muted",
                )}
              >
                <Icon className="size-5" />
                <span className="max-w-full truncate px-0.5">{label}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
