"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { applyNodeChange } from "@/components/live/live-cache";
import { useToast } from "@/components/providers/toast-provider";
import { type TNodeView, useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice } from "@/components/ui/notice";

type TAvailabilityAction = "cordon" | "drain" | "uncordon";
type TConfirming = "drain" | "remove" | null;

const DONE_MESSAGES: Record<TAvailabilityAction, string> = {
  cordon: "cordoned: no new replicas will be placed on it",
  drain: "draining: its replicas will move to other nodes",
  uncordon: "uncordoned: it takes new replicas again",
};

/** Cordon, drain, uncordon and remove, for operators. Refusals are shown, not swallowed. */
export function NodeActions({ node }: { node: TNodeView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [confirming, setConfirming] = useState<TConfirming>(null);

  const onChanged = (action: TAvailabilityAction) => (updated: TNodeView) => {
    applyNodeChange(queryClient, trpc, { type: "upsert", node: updated });
    setConfirming(null);
    notify("success", `Node ${updated.name} ${DONE_MESSAGES[action]}.`);
  };
  const cordon = useMutation(trpc.node.cordon.mutationOptions({ onSuccess: onChanged("cordon") }));
  const drain = useMutation(trpc.node.drain.mutationOptions({ onSuccess: onChanged("drain") }));
  const uncordon = useMutation(
    trpc.node.uncordon.mutationOptions({ onSuccess: onChanged("uncordon") }),
  );
  const remove = useMutation(
    trpc.node.delete.mutationOptions({
      onSuccess: () => {
        applyNodeChange(queryClient, trpc, { type: "remove", id: node.id });
        notify("success", `Node ${node.name} removed.`);
        router.push("/nodes");
      },
    }),
  );

  const inlineError = cordon.error ?? uncordon.error;
  const isBusy = cordon.isPending || drain.isPending || uncordon.isPending || remove.isPending;
  const input = { id: node.id };
  const closeDialog = () => {
    setConfirming(null);
    drain.reset();
    remove.reset();
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {node.availability !== "cordoned" && node.availability !== "draining" ? (
          <Button onClick={() => cordon.mutate(input)} isBusy={cordon.isPending} disabled={isBusy}>
            Cordon
          </Button>
        ) : null}
        {node.availability !== "draining" ? (
          <Button onClick={() => setConfirming("drain")} disabled={isBusy}>
            Drain
          </Button>
        ) : null}
        {node.availability !== "active" ? (
          <Button
            onClick={() => uncordon.mutate(input)}
            isBusy={uncordon.isPending}
            disabled={isBusy}
          >
            Uncordon
          </Button>
        ) : null}
        <Button variant="danger" onClick={() => setConfirming("remove")} disabled={isBusy}>
          Remove
        </Button>
      </div>
      {inlineError ? (
        <Notice tone="danger" role="alert">
          {errorMessage(inlineError)}
        </Notice>
      ) : null}
      <ConfirmDialog
        isOpen={confirming === "drain"}
        title={`Drain ${node.name}?`}
        confirmLabel="Drain node"
        isBusy={drain.isPending}
        error={drain.error ? errorMessage(drain.error) : null}
        onConfirm={() => drain.mutate(input)}
        onClose={closeDialog}
      >
        No new replicas will be placed on it, and the ones it runs will be moved to other nodes.
        Uncordon it to undo.
      </ConfirmDialog>
      <ConfirmDialog
        isOpen={confirming === "remove"}
        title={`Remove ${node.name}?`}
        confirmLabel="Remove node"
        isDanger
        isBusy={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => remove.mutate(input)}
        onClose={closeDialog}
      >
        Berth stops managing this engine. Its containers keep running; Berth refuses while its own
        replicas still run there, so drain it first.
      </ConfirmDialog>
    </div>
  );
}
