"use client";

import { useCan } from "@/components/auth/session";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PlusIcon } from "@/components/ui/icons";

function Code({ children }: { children: string }) {
  return (
    <code className="rounded bg-sunken px-1 py-0.5 font-mono text-xs wrap-anywhere text-fg">
      {children}
    </code>
  );
}

/**
 * The first-run empty state: what a node is and the two quickest ways to get one. Pages whose
 * header already has "Add node" pass `hasAddButton={false}` so the link exists once.
 */
export function NoNodes({ hasAddButton = true }: { hasAddButton?: boolean }) {
  const canOperate = useCan("operator");

  return (
    <EmptyState
      title="No nodes yet"
      actions={
        canOperate && hasAddButton ? (
          <ButtonLink href="/nodes/new" variant="primary">
            <PlusIcon className="size-4" />
            Add node
          </ButtonLink>
        ) : null
      }
    >
      <p>A node is a Docker engine Berth manages. To get started:</p>
      <ul className="mt-3 space-y-2 text-left">
        <li>
          Add this host&apos;s engine with the endpoint <Code>unix:///var/run/docker.sock</Code>
        </li>
        <li>
          Or start the local lab with <Code>sudo scripts/lab.sh up 3</Code>, then add{" "}
          <Code>tcp://127.0.0.2:2375</Code>, <Code>tcp://127.0.0.3:2375</Code> and so on.
        </li>
      </ul>
      {canOperate ? null : (
        <p className="mt-3">Adding nodes needs the operator role; ask an admin.</p>
      )}
    </EmptyState>
  );
}
