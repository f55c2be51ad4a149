"use client";

import { useState } from "react";

import { ButtonLink } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Panel } from "@/components/ui/panel";

import { LiveLogView } from "./live-log-view";
import { LogSearch } from "./log-search";
import type { TLogTarget } from "./use-log-tail";

type TTab = "live" | "search";

const TABS: { id: TTab; label: string }[] = [
  { id: "live", label: "Live" },
  { id: "search", label: "Search" },
];

/** Live tail and search of an app's (or one replica's) log, as tabs. */
export function LogsPanel({
  target,
  title = "Logs",
  description,
  fullPageHref,
}: {
  target: TLogTarget;
  title?: string;
  description?: string;
  fullPageHref?: string;
}) {
  const [tab, setTab] = useState<TTab>("live");

  return (
    <Panel
      title={title}
      description={description}
      isFlush
      actions={
        <>
          <div role="tablist" aria-label="Log views" className="flex rounded-md bg-sunken p-0.5">
            {TABS.map((item) => (
              <button
                key={item.id}
                type="button"
                role="tab"
                aria-selected={tab === item.id}
                onClick={() => setTab(item.id)}
                className={cx(
                  "rounded px-3 py-1 text-xs font-medium",
                  tab === item.id ? "bg-surface text-fg shadow-xs" : "text-muted hover:text-fg",
                )}
              >
                {item.label}
              </button>
            ))}
          </div>
          {fullPageHref ? (
            <ButtonLink href={fullPageHref} size="sm" variant="ghost">
              Full page
            </ButtonLink>
          ) : null}
        </>
      }
    >
      <div role="tabpanel" className="pb-3">
        {tab === "live" ? <LiveLogView target={target} /> : <LogSearch target={target} />}
      </div>
    </Panel>
  );
}
