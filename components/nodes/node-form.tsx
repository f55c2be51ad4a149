"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

import { mergeFieldErrors, unplacedErrors } from "@/components/forms/field-errors";
import { useToast } from "@/components/providers/toast-provider";
import { type TFieldErrors, errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { useTRPC } from "@/components/trpc/client";
import { Button, ButtonLink } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

import { type TRowErrors, rowErrorsFromFieldErrors } from "./labels-model";
import { LabelsEditor } from "./labels-editor";
import { mergeNodeChange } from "./merge-node-change";
import { EMPTY_NODE_FORM, type TNodeForm, checkNodeForm } from "./node-form-model";
import { TlsFields } from "./tls-fields";

const PLACED_FIELDS = /^(name|endpoint|advertiseAddress|tls(\..*)?|labels(\..*)?)$/;

/**
 * Adds a node. Checked in the browser with the server's schema first; the server then connects
 * to the engine, which can take seconds, so the button says so.
 */
export function NodeForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [form, setForm] = useState<TNodeForm>(EMPTY_NODE_FORM);
  const [clientErrors, setClientErrors] = useState<TFieldErrors>({});
  const [clientRowErrors, setClientRowErrors] = useState<TRowErrors>({});
  const [isTlsOpen, setIsTlsOpen] = useState(false);

  const create = useMutation(
    trpc.node.create.mutationOptions({
      onSuccess: (node) => {
        queryClient.setQueryData(trpc.node.find.queryKey(), (list) =>
          mergeNodeChange(list, { type: "upsert", node }),
        );
        notify("success", `Node ${node.name} added.`);
        router.push(`/nodes/${node.id}`);
      },
      onError: (error) => {
        if (Object.keys(fieldErrorsOf(error)).some((key) => key.startsWith("tls"))) {
          setIsTlsOpen(true);
        }
      },
    }),
  );

  const errors = mergeFieldErrors(fieldErrorsOf(create.error), clientErrors);
  const rowErrors = { ...rowErrorsFromFieldErrors(form.labelRows, errors), ...clientRowErrors };
  const orphanErrors = unplacedErrors(errors, (key) => PLACED_FIELDS.test(key));
  const hasFieldErrors = Object.keys(errors).length > 0;
  const isBusy = create.isPending;

  const set = <TKey extends keyof TNodeForm>(key: TKey, value: TNodeForm[TKey]) => {
    setForm((current) => ({ ...current, [key]: value }));
  };

  /** Binds a text field to the form; its key is also the field's name in server errors. */
  const textField = (key: "name" | "endpoint" | "advertiseAddress") => ({
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
    const check = checkNodeForm(form);
    if (!check.ok) {
      setClientErrors(check.errors);
      setClientRowErrors(check.rowErrors);
      if (Object.keys(check.errors).some((key) => key.startsWith("tls"))) {
        setIsTlsOpen(true);
      }

      return;
    }
    setClientErrors({});
    setClientRowErrors({});
    create.mutate(check.input);
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add node" className="space-y-5">
      {create.error && (!hasFieldErrors || orphanErrors.length > 0) ? (
        <Notice tone="danger" role="alert" title="The node was not added">
          {orphanErrors.length > 0 ? orphanErrors.join(" ") : errorMessage(create.error)}
        </Notice>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Name"
          placeholder="lab-1"
          hint="Lowercase letters, digits and '-'."
          {...textField("name")}
        />
        <TextField
          label="Endpoint"
          placeholder="tcp://127.0.0.2:2375"
          hint="unix:///var/run/docker.sock, tcp://host:2375, or tcp://host:2376 with TLS."
          {...textField("endpoint")}
        />
        <TextField
          label="Advertise address (optional)"
          placeholder="Default: the endpoint's host"
          hint={
            "Where the gateway reaches ports published on this node. Empty: the endpoint's " +
            "host, or 127.0.0.1 for a socket."
          }
          className="sm:col-span-2"
          {...textField("advertiseAddress")}
        />
      </div>
      <TlsFields
        tls={form.tls}
        onChange={(tls) => set("tls", tls)}
        errors={errors}
        isOpen={isTlsOpen}
        onToggle={setIsTlsOpen}
        isDisabled={isBusy}
      />
      <fieldset className="min-w-0">
        <legend className="mb-2 text-sm font-medium">Labels</legend>
        <LabelsEditor
          rows={form.labelRows}
          onChange={(rows) => set("labelRows", rows)}
          rowErrors={rowErrors}
          errors={errors.labels}
          isDisabled={isBusy}
        />
      </fieldset>
      <div className="flex flex-wrap items-center gap-3 border-t border-line pt-4">
        <Button type="submit" variant="primary" isBusy={isBusy}>
          {isBusy ? "Connecting to the engine…" : "Add node"}
        </Button>
        <ButtonLink href="/nodes" variant="ghost">
          Cancel
        </ButtonLink>
        {isBusy ? (
          <p role="status" className="text-sm text-muted">
            Berth is reading the engine&apos;s info; this takes up to a few seconds.
          </p>
        ) : null}
      </div>
    </form>
  );
}
