"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { formatDateTime } from "@/components/format";
import { useToast } from "@/components/providers/toast-provider";
import { type TTokenView, useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { RelativeTime } from "@/components/ui/relative-time";
import { SkeletonRows } from "@/components/ui/skeleton";

import { CreateTokenForm } from "./create-token-form";

function TokenRow({
  token,
  onRevoke,
}: {
  token: TTokenView;
  onRevoke: (token: TTokenView) => void;
}) {
  const isRevoked = token.revokedAt !== null;

  return (
    <li
      className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3"
      data-testid="token-row"
      data-token-name={token.name}
    >
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className="wrap-anywhere">{token.name}</span>
          <Badge tone="neutral">{token.role}</Badge>
          {isRevoked ? <Badge tone="danger">revoked</Badge> : null}
        </p>
        <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-muted">
          <span className="font-mono">{token.prefix}…</span>
          <span>by {token.createdBy}</span>
          <span>created {formatDateTime(token.createdAt)}</span>
          <span>
            last used <RelativeTime at={token.lastUsedAt} />
          </span>
        </p>
      </div>
      {isRevoked ? null : (
        <Button
          size="sm"
          variant="ghost"
          className="text-danger"
          onClick={() => onRevoke(token)}
          aria-label={`Revoke token ${token.name}`}
        >
          Revoke
        </Button>
      )}
    </li>
  );
}

/** Admins: API tokens for scripts, with their last use, and revocation. */
export function TokensPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const tokens = useQuery(trpc.token.find.queryOptions());
  const [revoking, setRevoking] = useState<TTokenView | null>(null);
  const revoke = useMutation(
    trpc.token.delete.mutationOptions({
      onSuccess: () => {
        notify("success", `Token ${revoking?.name ?? ""} revoked.`);
        setRevoking(null);
        void queryClient.invalidateQueries(trpc.token.find.queryFilter());
      },
    }),
  );

  return (
    <Panel
      title="API tokens"
      description="For scripts and CI: send as a Bearer token. A token acts with its own role."
      isFlush
    >
      {tokens.isPending ? (
        <SkeletonRows rows={2} label="Loading tokens" />
      ) : tokens.isError ? (
        <div className="p-4">
          <Notice tone="danger" role="alert">
            {errorMessage(tokens.error)}
          </Notice>
        </div>
      ) : tokens.data.length === 0 ? (
        <div className="border-b border-line">
          <EmptyState title="No API tokens">Create one below for a script or a CI job.</EmptyState>
        </div>
      ) : (
        <ul className="divide-y divide-line border-b border-line" aria-label="API tokens">
          {tokens.data.map((token) => (
            <TokenRow key={token.id} token={token} onRevoke={setRevoking} />
          ))}
        </ul>
      )}
      <div className="p-4">
        <CreateTokenForm />
      </div>
      <ConfirmDialog
        isOpen={revoking !== null}
        title={`Revoke ${revoking?.name ?? "token"}?`}
        confirmLabel="Revoke token"
        isDanger
        isBusy={revoke.isPending}
        error={revoke.error ? errorMessage(revoke.error) : null}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
      >
        Anything using it is refused from now on. This cannot be undone.
      </ConfirmDialog>
    </Panel>
  );
}
