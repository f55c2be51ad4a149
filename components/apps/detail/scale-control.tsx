"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { useToast } from "@/components/providers/toast-provider";
import { type TAppView, useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { cx } from "@/components/ui/cx";
import { inputBaseClass } from "@/components/ui/field";
import { MAX_REPLICAS } from "@/server/apps/spec";

import { applyAppChange } from "./app-cache";
import { ScalePreview } from "./scale-preview";

/**
 * Sets the desired replica count, for operators. The new count is first shown as the
 * scheduler would carry it out (what stays, what starts where, what would not fit, what goes);
 * confirming saves it and the reconciler starts or stops replicas.
 */
export function ScaleControl({ app }: { app: TAppView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const current = app.spec.replicas;
  const [replicas, setReplicas] = useState(String(current));
  const [clientError, setClientError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  const scale = useMutation(
    trpc.app.scale.mutationOptions({
      onSuccess: (updated) => {
        applyAppChange(queryClient, trpc, updated);
        setConfirming(null);
        notify("success", `App ${updated.name} scaled to ${updated.spec.replicas}.`);
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const count = replicas.trim() === "" ? Number.NaN : Number(replicas);
    if (!Number.isInteger(count) || count < 0 || count > MAX_REPLICAS) {
      setClientError(`must be a whole number from 0 to ${MAX_REPLICAS} (0 stops the app)`);

      return;
    }
    if (count === current) {
      setClientError(`the app already has ${current} replicas`);

      return;
    }
    setClientError(null);
    scale.reset();
    setConfirming(count);
  };

  const serverErrors = fieldErrorsOf(scale.error).replicas;
  const dialogError = serverErrors?.join(" ") ?? (scale.error ? errorMessage(scale.error) : null);

  return (
    <>
      <form onSubmit={submit} noValidate aria-label="Scale" className="space-y-1">
        <div className="flex items-center gap-2">
          <label htmlFor="scale-replicas" className="text-sm font-medium">
            Replicas
          </label>
          <input
            id="scale-replicas"
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_REPLICAS}
            value={replicas}
            onChange={(event) => setReplicas(event.target.value)}
            disabled={scale.isPending}
            aria-invalid={clientError ? true : undefined}
            aria-describedby={clientError ? "scale-error" : undefined}
            className={cx(inputBaseClass, "w-24")}
          />
          <Button type="submit" isBusy={scale.isPending}>
            Scale
          </Button>
        </div>
        {clientError ? (
          <p id="scale-error" role="alert" className="text-xs font-medium break-words text-danger">
            {clientError}
          </p>
        ) : null}
      </form>
      <ConfirmDialog
        isOpen={confirming !== null}
        title={`Scale ${app.name} to ${confirming ?? current}?`}
        confirmLabel={`Scale to ${confirming ?? current}`}
        isBusy={scale.isPending}
        error={dialogError}
        onConfirm={() => {
          if (confirming !== null) {
            scale.mutate({ id: app.id, replicas: confirming });
          }
        }}
        onClose={() => setConfirming(null)}
      >
        {confirming !== null ? (
          <ScalePreview appId={app.id} from={current} to={confirming} />
        ) : null}
      </ConfirmDialog>
    </>
  );
}
