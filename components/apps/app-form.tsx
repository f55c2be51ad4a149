"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useMemo, useState } from "react";

import { mergeFieldErrors } from "@/components/forms/field-errors";
import { useToast } from "@/components/providers/toast-provider";
import { type TAppView, useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button, ButtonLink } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { diffSpecs } from "@/server/apps/diff";
import { MAX_REPLICAS, type TAppSpec } from "@/server/apps/spec";

import {
  EMPTY_APP_FORM,
  type TAppForm,
  type TFormErrors,
  checkAppForm,
  formErrorsOf,
  formOf,
  hasPlacedErrors,
} from "./app-form-model";
import { DryRunPreview } from "./dry-run-preview";
import { SpecDiffPanel } from "./edit/spec-diff-panel";
import { EnvEditor } from "./env-editor";
import { CommandSection } from "./form/command-section";
import { FormSection } from "./form/form-section";
import { HealthCheckSection } from "./form/health-check-section";
import { PlacementSection } from "./form/placement-section";
import { PortsEditor } from "./form/ports-editor";
import { ResourcesSection } from "./form/resources-section";
import { RolloutSection } from "./form/rollout-section";
import { SecretsEditor } from "./form/secrets-editor";
import { VolumesEditor } from "./form/volumes-editor";
import { NUMBER_INPUT, type TSectionProps, bindText } from "./form/section-props";

type TAppFormProps = {
  /** The app to update; without it, the form deploys a new app. */
  app?: TAppView;
};

/** Whether any error is under one of `prefixes`, to open the section that shows it. */
function hasErrorsUnder(errors: TFormErrors, ...prefixes: string[]): boolean {
  const isUnder = (key: string, prefix: string) =>
    key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}:`);

  return Object.keys(errors.fields).some((key) => prefixes.some((p) => isUnder(key, p)));
}

/** The current spec, with its secrets as the mask, in the type the diff compares. */
function currentSpecOf(app: TAppView | undefined): TAppSpec | undefined {
  return app?.spec;
}

/**
 * Deploys an app, or updates one (a rolling update to a new revision). The form is checked
 * with the server's schema; the preview beside it plans the valid spec, an update also lists
 * what it changes, and every error, the form's or the server's, lands beside its field.
 */
export function AppForm({ app }: TAppFormProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const notify = useToast();
  const current = currentSpecOf(app);
  const [form, setForm] = useState<TAppForm>(() => (current ? formOf(current) : EMPTY_APP_FORM));
  // Errors show once a submit was tried, then follow the form as it is fixed.
  const [isChecked, setIsChecked] = useState(false);

  // Memoised on the form, so the preview sees a new spec only when something was typed.
  const check = useMemo(() => checkAppForm(form), [form]);
  const changes = useMemo(
    () => (current && check.ok ? diffSpecs(current, check.spec) : null),
    [current, check],
  );

  const onSaved = (saved: TAppView, message: string) => {
    queryClient.setQueryData(trpc.app.get.queryKey({ id: saved.id }), saved);
    void queryClient.invalidateQueries({ queryKey: trpc.app.find.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.app.revisions.queryKey({ id: saved.id }) });
    notify("success", message);
    router.push(`/apps/${saved.id}`);
  };
  const create = useMutation(
    trpc.app.create.mutationOptions({
      onSuccess: (saved) => onSaved(saved, `App ${saved.name} deployed.`),
    }),
  );
  const update = useMutation(
    trpc.app.update.mutationOptions({
      onSuccess: (saved) =>
        onSaved(saved, `App ${saved.name} updated to revision ${saved.revision.number}.`),
    }),
  );
  const mutation = app ? update : create;

  const clientErrors = isChecked && !check.ok ? check.errors : {};
  const errors = formErrorsOf(mergeFieldErrors(fieldErrorsOf(mutation.error), clientErrors), form);
  const isBusy = mutation.isPending;
  const isUnchanged = changes !== null && changes.length === 0;

  const set = <TKey extends keyof TAppForm>(key: TKey, value: TAppForm[TKey]) => {
    setForm((previous) => ({ ...previous, [key]: value }));
  };
  const section: TSectionProps = { form, set, errors, isDisabled: isBusy };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setIsChecked(true);
    if (!check.ok) {
      return;
    }
    if (app) {
      update.mutate({ id: app.id, spec: check.spec });
    } else {
      create.mutate(check.spec);
    }
  };

  const verb = app ? "update" : "deploy";

  return (
    <div className="grid gap-5 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] lg:items-start">
      <form
        onSubmit={submit}
        noValidate
        aria-label={app ? "Update app" : "Deploy app"}
        className="min-w-0 space-y-5 rounded-lg border border-line bg-surface p-4 shadow-xs sm:p-5"
      >
        {mutation.error && (!hasPlacedErrors(errors) || errors.other.length > 0) ? (
          <Notice tone="danger" role="alert" title={`The app was not ${verb}d`}>
            {errors.other.length > 0 ? errors.other.join(" ") : errorMessage(mutation.error)}
          </Notice>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Name"
            placeholder="web"
            hint={app ? "Apps cannot be renamed." : "Lowercase letters, digits and '-'."}
            readOnly={app !== undefined}
            {...bindText(section, "name", "name")}
          />
          <TextField
            label="Image"
            placeholder="nginx:1.27"
            hint="A reference the nodes have or can pull."
            {...bindText(section, "image", "image")}
          />
          <TextField
            label="Replicas"
            min={0}
            max={MAX_REPLICAS}
            hint="0 deploys the app stopped."
            {...NUMBER_INPUT}
            {...bindText(section, "replicas", "replicas")}
          />
        </div>
        <fieldset className="min-w-0">
          <legend className="mb-1 text-sm font-medium">Ports</legend>
          <p className="mb-2 text-xs text-muted">
            Container ports the app listens on; a host port also publishes one on the node&apos;s
            address. Blank rows are skipped.
          </p>
          <PortsEditor {...section} />
        </fieldset>
        <fieldset className="min-w-0">
          <legend className="mb-2 text-sm font-medium">Environment</legend>
          <EnvEditor
            rows={form.envRows}
            onChange={(rows) => set("envRows", rows)}
            rowErrors={errors.envRows}
            errors={errors.fields.env}
            isDisabled={isBusy}
          />
        </fieldset>
        <div className="space-y-2">
          <FormSection
            title="Secrets"
            summary="Sealed at rest, given to the container as env."
            isInitiallyOpen={form.secretRows.length > 0}
            hasErrors={
              hasErrorsUnder(errors, "secrets") || Object.keys(errors.secretRows).length > 0
            }
          >
            <p className="text-xs text-muted">
              Values are never shown again. A masked value keeps the stored secret; type a new value
              to replace it.
            </p>
            <SecretsEditor {...section} />
          </FormSection>
          <FormSection
            title="Command and arguments"
            summary="Replace the image's entrypoint or CMD."
            isInitiallyOpen={form.command !== "" || form.args !== ""}
            hasErrors={hasErrorsUnder(errors, "command", "args")}
          >
            <CommandSection {...section} />
          </FormSection>
          <FormSection
            title="Volumes"
            summary="Data that outlives a replica."
            isInitiallyOpen={form.volumeRows.length > 0}
            hasErrors={hasErrorsUnder(errors, "volumes")}
          >
            <VolumesEditor {...section} />
          </FormSection>
          <FormSection
            title="Resources"
            summary="CPU and memory requests and limits."
            hasErrors={hasErrorsUnder(errors, "resources")}
          >
            <ResourcesSection {...section} />
          </FormSection>
          <FormSection
            title="Placement"
            summary="Strategy, node constraints and spreading."
            isInitiallyOpen={form.constraintRows.length > 0}
            hasErrors={hasErrorsUnder(errors, "placement")}
          >
            <PlacementSection {...section} />
          </FormSection>
          <FormSection
            title="Health check"
            summary="How Berth knows a replica is ready."
            isInitiallyOpen={form.healthType !== "none"}
            hasErrors={hasErrorsUnder(errors, "healthCheck")}
          >
            <HealthCheckSection {...section} />
          </FormSection>
          <FormSection
            title="Updates, restarts and load balancing"
            summary="Rolling update pace, crash backoff, gateway policy."
            hasErrors={hasErrorsUnder(errors, "update", "restart", "lb")}
          >
            <RolloutSection {...section} />
          </FormSection>
        </div>
        <div className="flex flex-wrap items-center gap-3 border-t border-line pt-4">
          <Button type="submit" variant="primary" isBusy={isBusy} disabled={isUnchanged}>
            {submitLabel(app !== undefined, isBusy)}
          </Button>
          <ButtonLink href={app ? `/apps/${app.id}` : "/apps"} variant="ghost">
            Cancel
          </ButtonLink>
          {isUnchanged ? <p className="text-xs text-muted">Change something to update.</p> : null}
        </div>
      </form>
      <div className="min-w-0 space-y-5">
        {app ? <SpecDiffPanel entries={changes} /> : null}
        <DryRunPreview spec={check.ok ? check.spec : null} />
      </div>
    </div>
  );
}

function submitLabel(isEdit: boolean, isBusy: boolean): string {
  if (isEdit) {
    return isBusy ? "Updating…" : "Update app";
  }

  return isBusy ? "Deploying…" : "Deploy app";
}
