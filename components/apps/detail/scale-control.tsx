"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { useToast } from "@/components/providers/toast-provider";
import { type TAppView, useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { inputBaseClass } from "@/components/ui/field";
import { MAX_REPLICAS } from "@/server/apps/spec";

import { applyAppChange } from "./app-cache";

/** Sets the desired replica count, for operators; the reconciler then starts or stops some. */
export function ScaleControl({ app }: { app: TAppView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [replicas, setReplicas] = useState(String(app.spec.replicas));
  const [clientError, setClientError] = useState<string | null>(null);

  const scale = useMutation(
    trpc.app.scale.mutationOptions({
      onSuccess: (updated) => {
        applyAppChange(queryClient, trpc, updated);
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
    setClientError(null);
    scale.mutate({ id: app.id, replicas: count });
  };

  const serverErrors = fieldErrorsOf(scale.error).replicas;
  const message =
    clientError ?? serverErrors?.join(" ") ?? (scale.error ? errorMessage(scale.error) : null);

  return (
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
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? "scale-error" : undefined}
          className={cx(inputBaseClass, "w-24")}
        />
        <Button type="submit" isBusy={scale.isPending}>
          Scale
        </Button>
      </div>
      {message ? (
        <p id="scale-error" role="alert" className="text-xs font-medium break-words text-danger">
          {message}
        </p>
      ) : null}
    </form>
  );
}
