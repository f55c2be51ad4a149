"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { useCan } from "@/components/auth/session";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { QueryList } from "@/components/ui/query-list";

import {
  EMPTY_RULE_FORM,
  KINDS,
  KIND_OPTIONS,
  type TRuleForm,
  type TRuleView,
  describeRule,
  isAlertKind,
  ruleInputOf,
} from "./alert-model";

const SEVERITIES = ["info", "warning", "error"] as const;

function isSeverity(value: string): value is TRuleForm["severity"] {
  return (SEVERITIES as readonly string[]).includes(value);
}

function CreateRuleForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [form, setForm] = useState<TRuleForm>(EMPTY_RULE_FORM);
  const apps = useQuery(trpc.app.find.queryOptions());
  const create = useMutation(
    trpc.alert.rule.create.mutationOptions({
      onSuccess: (_, input) => {
        notify("success", `Rule ${input.name.trim()} added.`);
        setForm(EMPTY_RULE_FORM);
        void queryClient.invalidateQueries(trpc.alert.rule.find.queryFilter());
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  const info = KINDS[form.kind];
  const set = (patch: Partial<TRuleForm>) => setForm((current) => ({ ...current, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(ruleInputOf(form));
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add alert rule" className="space-y-3">
      <h3 className="text-sm font-semibold">Add rule</h3>
      {create.error && Object.keys(errors).length === 0 ? (
        <Notice tone="danger" role="alert">
          {errorMessage(create.error)}
        </Notice>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Rule name"
          placeholder="Web is hot"
          autoComplete="off"
          value={form.name}
          onChange={(event) => set({ name: event.target.value })}
          errors={errors.name}
        />
        <SelectField
          label="Condition"
          value={form.kind}
          onChange={(event) => {
            if (isAlertKind(event.target.value)) {
              set({ kind: event.target.value });
            }
          }}
          errors={errors.kind}
        >
          {KIND_OPTIONS.map((kind) => (
            <option key={kind} value={kind}>
              {KINDS[kind].label}
            </option>
          ))}
        </SelectField>
        {info.threshold ? (
          <TextField
            label={info.threshold.label}
            inputMode="decimal"
            placeholder={info.threshold.placeholder}
            value={form.threshold}
            onChange={(event) => set({ threshold: event.target.value })}
            hint={info.threshold.hint}
            errors={errors.threshold}
          />
        ) : null}
        <TextField
          label="For (seconds)"
          inputMode="numeric"
          value={form.forSeconds}
          onChange={(event) => set({ forSeconds: event.target.value })}
          hint="How long the condition must hold before the alert fires."
          errors={errors.forSeconds}
        />
        {info.isAboutNodes ? null : (
          <SelectField
            label="App"
            value={form.appId}
            onChange={(event) => set({ appId: event.target.value })}
            errors={errors.appId}
          >
            <option value="">Every app</option>
            {(apps.data ?? []).map((app) => (
              <option key={app.id} value={app.id}>
                {app.name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField
          label="Severity"
          value={form.severity}
          onChange={(event) => {
            if (isSeverity(event.target.value)) {
              set({ severity: event.target.value });
            }
          }}
          errors={errors.severity}
        >
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {severity}
            </option>
          ))}
        </SelectField>
      </div>
      <Button type="submit" variant="primary" isBusy={create.isPending}>
        Add rule
      </Button>
    </form>
  );
}

function RuleRow({
  rule,
  canEdit,
  onToggle,
  onDelete,
}: {
  rule: TRuleView;
  canEdit: boolean;
  onToggle: (rule: TRuleView) => void;
  onDelete: (rule: TRuleView) => void;
}) {
  return (
    <li
      className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3"
      data-testid="rule-row"
      data-rule-name={rule.name}
    >
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className="wrap-anywhere">{rule.name}</span>
          {rule.isEnabled ? null : <Badge tone="neutral">off</Badge>}
          {rule.firingCount > 0 ? <Badge tone="danger">{rule.firingCount} firing</Badge> : null}
        </p>
        <p className="mt-0.5 text-xs text-muted">
          {describeRule(rule)} · {rule.severity}
        </p>
      </div>
      {canEdit ? (
        <div className="flex gap-1">
          <Button size="sm" onClick={() => onToggle(rule)}>
            {rule.isEnabled ? "Turn off" : "Turn on"}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            className="text-danger"
            onClick={() => onDelete(rule)}
            aria-label={`Delete rule ${rule.name}`}
          >
            Delete
          </Button>
        </div>
      ) : null}
    </li>
  );
}

/** The alert rules; operators add, turn off and delete them. */
export function RulesPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const canEdit = useCan("operator");
  const rules = useQuery(trpc.alert.rule.find.queryOptions());
  const [deleting, setDeleting] = useState<TRuleView | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.alert.rule.find.queryFilter());
    void queryClient.invalidateQueries(trpc.alert.find.queryFilter());
  };
  const update = useMutation(
    trpc.alert.rule.update.mutationOptions({
      onSuccess: refresh,
      onError: (error) => notify("error", errorMessage(error)),
    }),
  );
  const remove = useMutation(
    trpc.alert.rule.delete.mutationOptions({
      onSuccess: () => {
        notify("success", `Rule ${deleting?.name ?? ""} deleted.`);
        setDeleting(null);
        refresh();
      },
    }),
  );

  return (
    <Panel
      title="Rules"
      description="What raises an alert. Each rule opens one alert per node or replica."
      isFlush
    >
      <QueryList
        query={rules}
        loadingLabel="Loading rules"
        skeletonRows={3}
        errorTitle="Rules could not be loaded"
        empty={
          <div className="border-b border-line">
            <EmptyState title="No rules">Nothing raises alerts until a rule is added.</EmptyState>
          </div>
        }
      >
        {(items) => (
          <ul className="divide-y divide-line border-b border-line" aria-label="Alert rules">
            {items.map((rule) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                canEdit={canEdit}
                onToggle={(target) =>
                  update.mutate({
                    id: target.id,
                    name: target.name,
                    kind: target.kind,
                    threshold: target.threshold,
                    forSeconds: target.forSeconds,
                    appId: target.appId,
                    severity: target.severity,
                    isEnabled: !target.isEnabled,
                  })
                }
                onDelete={setDeleting}
              />
            ))}
          </ul>
        )}
      </QueryList>
      {canEdit ? (
        <div className="p-4">
          <CreateRuleForm />
        </div>
      ) : null}
      <ConfirmDialog
        isOpen={deleting !== null}
        title={`Delete rule ${deleting?.name ?? ""}?`}
        confirmLabel="Delete rule"
        isDanger
        isBusy={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      >
        Its alerts and their delivery log go with it.
      </ConfirmDialog>
    </Panel>
  );
}
