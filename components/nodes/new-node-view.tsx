"use client";

import { useCan } from "@/components/auth/session";
import { PageHeader } from "@/components/layout/page-header";
import { BackLink } from "@/components/ui/back-link";
import { Notice } from "@/components/ui/notice";

import { NodeForm } from "./node-form";

/** /nodes/new: register a Docker engine. */
export function NewNodeView() {
  const canOperate = useCan("operator");

  return (
    <div className="max-w-3xl">
      <PageHeader
        title="Add node"
        description={
          "Berth connects to the engine, reads its capacity and version, then keeps watching it."
        }
        back={<BackLink href="/nodes">Nodes</BackLink>}
      />
      {canOperate ? (
        <div className="rounded-lg border border-line bg-surface p-4 shadow-xs sm:p-5">
          <NodeForm />
        </div>
      ) : (
        <Notice tone="info" title="Adding nodes needs the operator role">
          You are signed in as a viewer. Ask an admin to change your role.
        </Notice>
      )}
    </div>
  );
}
