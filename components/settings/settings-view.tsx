"use client";

import { useCan, useSession } from "@/components/auth/session";
import { PageHeader } from "@/components/layout/page-header";
import { PanelBoundary } from "@/components/layout/panel-boundary";
import { ThemeToggle } from "@/components/layout/theme-toggle";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";

import { PasswordPanel } from "./password-panel";
import { TokensPanel } from "./tokens-panel";
import { UsersPanel } from "./users-panel";

/** /settings: appearance and password for everyone; users and tokens for admins. */
export function SettingsView() {
  const me = useSession();
  const isAdmin = useCan("admin");

  return (
    <>
      <PageHeader title="Settings" description={`Signed in as ${me.name} (${me.role}).`} />
      <div className="grid gap-5 xl:grid-cols-2">
        <div className="space-y-5">
          <Panel title="Theme" description="Follows your system unless you pick one.">
            <ThemeToggle />
          </Panel>
          {me.kind === "user" ? (
            <PanelBoundary title="Change my password">
              <PasswordPanel />
            </PanelBoundary>
          ) : null}
          {isAdmin ? null : (
            <Notice tone="info" title="Users and API tokens are managed by admins">
              Ask an admin if you need another role or a token.
            </Notice>
          )}
        </div>
        {isAdmin ? (
          <div className="space-y-5">
            <PanelBoundary title="Users">
              <UsersPanel />
            </PanelBoundary>
            <PanelBoundary title="API tokens">
              <TokensPanel />
            </PanelBoundary>
          </div>
        ) : null}
      </div>
    </>
  );
}
