"use client";

import { useState } from "react";

import { useCan } from "@/components/auth/session";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { cx } from "@/components/ui/cx";

import { AlertList } from "./alert-list";
import { RulesPanel } from "./rules-panel";
import { DeliveryLogPanel, WebhooksPanel } from "./webhooks-panel";

type TTab = "alerts" | "rules" | "webhooks";

const TABS: { id: TTab; label: string; isAdminOnly?: boolean }[] = [
  { id: "alerts", label: "Alerts" },
  { id: "rules", label: "Rules" },
  { id: "webhooks", label: "Webhooks", isAdminOnly: true },
];

/** /alerts: the alerts, the rules that raise them and (admins) where they are posted. */
export function AlertsView() {
  const isAdmin = useCan("admin");
  const [tab, setTab] = useState<TTab>("alerts");
  const tabs = TABS.filter((item) => !item.isAdminOnly || isAdmin);

  return (
    <>
      <PageHeader title="Alerts" description="Rules watch nodes and replicas; alerts say when." />
      <div
        role="tablist"
        aria-label="Alerts sections"
        className="mb-4 flex gap-1 border-b border-line"
      >
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            aria-selected={tab === item.id}
            onClick={() => setTab(item.id)}
            className={cx(
              "-mb-px border-b-2 px-3 py-2 text-sm font-medium",
              tab === item.id
                ? "border-accent text-accent"
                : "border-transparent text-muted hover:text-fg",
            )}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="space-y-5">
        {tab === "alerts" ? (
          <PanelBoundary title="Alerts">
            <AlertList />
          </PanelBoundary>
        ) : null}
        {tab === "rules" ? (
          <PanelBoundary title="Rules">
            <RulesPanel />
          </PanelBoundary>
        ) : null}
        {tab === "webhooks" && isAdmin ? (
          <div className="grid gap-5 xl:grid-cols-2">
            <PanelBoundary title="Webhooks">
              <WebhooksPanel />
            </PanelBoundary>
            <PanelBoundary title="Delivery log">
              <DeliveryLogPanel />
            </PanelBoundary>
          </div>
        ) : null}
      </div>
    </>
  );
}
