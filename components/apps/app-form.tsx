"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useMemo, useState } from "react";

import { mergeFieldErrors } from "@/components/forms/field-errors";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import { type TFieldErrors, errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button, ButtonLink } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { MAX_REPLICAS } from "@/server/apps/spec";

import {
  EMPTY_APP_FORM,
  type TAppForm,
  type TStrategy,
  checkAppForm,
  formErrorsOf,
} from "./app-form-model";
import { DryRunPreview } from "./dry-run-preview";
import { EnvEditor } from "./env-editor";

type TTextKey = "name" | "image" | "replicas" | "port" | "cpuMillis" | "memoryMib";

/**
 * Deploys an app. The form is checked with the server's schema as it is typed; the preview
 * beside it plans the valid spec, and the server's field errors land beside their fields.
 */
export function AppForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [form, setForm] = useState<TAppForm>(EMPTY_APP_FORM);
  const [clientErrors, setClientErrors] = useState<TFieldErrors>({});

  // Memoised on the form, so the preview sees a new spec only when something was typed.
  const check = useMemo(() => checkAppForm(form), [form]);

  const create = useMutation(
    trpc.app.create.mutationOptions({
      onSuccess: (app) => {
        void queryClient.invalidateQueries({ queryKey: trpc.app.find.queryKey() });
        queryClient.setQueryData(trpc.app.get.queryKey({ id: app.id }), app);
        notify("success", `App ${app.name} deployed.`);
        router.push(`/apps/${app.id}`);
      },
    }),
  );

  const errors = formErrorsOf(mergeFieldErrors(fieldErrorsOf(create.error), clientErrors));
  const hasFieldErrors = Object.keys(errors).some((key) => key !== "other");
  const isBusy = create.isPending;

  const set = <TKey extends keyof TAppForm>(key: TKey, value: TAppForm[TKey]) => {
    setForm((current) => ({ ...current, [key]: value }));
  };

  const textField = (key: TTextKey) => ({
    name: key,
    value: form[key],
    onChange: (event: { target: { value: string } }) => set(key, event.target.value),
    errors: errors[key],
    disabled: isBusy,
    autoCapitalize: "none",
    spellCheck: false,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!check.ok) {
      setClientErrors(check.errors);

      return;
    }
    setClientErrors({});
    create.mutate(check.spec);
  };

  return (
    <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] lg:items-start">
      <form
        onSubmit={submit}
        noValidate
        aria-label="Deploy app"
        className="space-y-5 rounded-lg border border-line bg-surface p-4 shadow-xs sm:p-5"
      >
        {create.error && (!hasFieldErrors || errors.other) ? (
          <Notice tone="danger" role="alert" title="The app was not deployed">
            {errors.other ? errors.other.join(" ") : errorMessage(create.error)}
          </Notice>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Name"
            placeholder="web"
            hint="Lowercase letters, digits and '-'."
            {...textField("name")}
          />
          <TextField
            label="Image"
            placeholder="nginx:1.27"
            hint="A reference the nodes have or can pull."
            {...textField("image")}
          />
          <TextField
            label="Replicas"
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_REPLICAS}
            hint="0 deploys the app stopped."
            {...textField("replicas")}
          />
          <TextField
            label="Container port (optional)"
            type="number"
            inputMode="numeric"
            placeholder="8080"
            hint="TCP, inside the container."
            {...textField("port")}
          />
          <TextField
            label="CPU request (millicores)"
            type="number"
            inputMode="numeric"
            hint="1000 is one CPU."
            {...textField("cpuMillis")}
          />
          <TextField
            label="Memory request (MiB)"
            type="number"
            inputMode="numeric"
            hint="Reserved on the node for each replica."
            {...textField("memoryMib")}
          />
          <SelectField
            label="Strategy"
            name="strategy"
            value={form.strategy}
            onChange={(event) => set("strategy", event.target.value as TStrategy)}
            errors={errors.strategy}
            disabled={isBusy}
            hint="Spread keeps load even; binpack fills nodes first."
          >
            <option value="spread">Spread</option>
            <option value="binpack">Binpack</option>
          </SelectField>
        </div>
        <fieldset className="min-w-0">
          <legend className="mb-2 text-sm font-medium">Environment</legend>
          <EnvEditor
            rows={form.envRows}
            onChange={(rows) => set("envRows", rows)}
            errors={errors.env}
            isDisabled={isBusy}
          />
        </fieldset>
        <div className="flex flex-wrap items-center gap-3 border-t border-line pt-4">
          <Button type="submit" variant="primary" isBusy={isBusy}>
            {isBusy ? "Deploying…" : "Deploy app"}
          </Button>
          <ButtonLink href="/apps" variant="ghost">
            Cancel
          </ButtonLink>
        </div>
      </form>
      <DryRunPreview spec={check.ok ? check.spec : null} />
    </div>
  );
}
