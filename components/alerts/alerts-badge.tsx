"use client";

import Link from "next/link";

import { plural } from "@/components/format";
import { cx } from "@/components/ui/cx";
import { AlertsIcon } from "@/components/ui/icons";

import { badgeText } from "./alert-model";
import { useAlertCount } from "./use-alert-count";

/** The header's bell: how many alerts fire that nobody acknowledged, linking to them. */
export function AlertsBadge() {
  const count = useAlertCount();
  const text = badgeText(count);
  const label = count > 0 ? `Alerts: ${plural(count, "unacknowledged alert")}` : "Alerts: none";

  return (
    <Link
      href="/alerts"
      aria-label={label}
      title={label}
      data-testid="alerts-badge"
      data-count={count}
      className={cx(
        "relative inline-flex size-9 shrink-0 items-center justify-center rounded-md",
        count > 0 ? "text-danger hover:bg-danger-soft" : "text-muted hover:bg-sunken",
      )}
    >
      <AlertsIcon className="size-5" />
      {text ? (
        <span
          aria-hidden="true"
          className={cx(
            "absolute -top-0.5 -right-0.5 min-w-4 rounded-full bg-danger px-1",
            "text-center text-[10px] leading-4 font-semibold text-white",
          )}
        >
          {text}
        </span>
      ) : null}
    </Link>
  );
}

/** The nav's count beside "Alerts"; nothing at zero. */
export function NavAlertCount() {
  const text = badgeText(useAlertCount());
  if (!text) {
    return null;
  }

  return (
    <span
      aria-hidden="true"
      className={cx(
        "ml-auto rounded-full bg-danger px-1.5",
        "text-[10px] leading-4 font-semibold text-white",
      )}
    >
      {text}
    </span>
  );
}
