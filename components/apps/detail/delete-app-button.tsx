"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useToast } from "@/components/providers/toast-provider";
import { type TAppView, useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

import { invalidateApp } from "../live/app-refetcher";

/**
 * Deletes the app, for operators, after a confirmation naming it. The app then reads
 * "deleting" while the reconciler stops its replicas; the page leaves once it is gone.
 */
export function DeleteAppButton({ app }: { app: TAppView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [isConfirming, setIsConfirming] = useState(false);

  const remove = useMutation(
    trpc.app.delete.mutationOptions({
      onSuccess: () => {
        setIsConfirming(false);
        invalidateApp(queryClient, trpc, app.id);
        void queryClient.invalidateQueries({ queryKey: trpc.app.find.queryKey() });
        notify("info", `App ${app.name} is being deleted: its replicas stop first.`);
      },
    }),
  );
  const close = () => {
    setIsConfirming(false);
    remove.reset();
  };

  return (
    <>
      <Button
        variant="danger"
        onClick={() => setIsConfirming(true)}
        disabled={app.isDeleting}
        isBusy={remove.isPending}
      >
        {app.isDeleting ? "Deleting…" : "Delete"}
      </Button>
      <ConfirmDialog
        isOpen={isConfirming}
        title={`Delete ${app.name}?`}
        confirmLabel="Delete app"
        isDanger
        isBusy={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => remove.mutate({ id: app.id })}
        onClose={close}
      >
        Berth stops and removes every replica of {app.name}, then the app and its revisions. This
        cannot be undone.
      </ConfirmDialog>
    </>
  );
}
