"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { formatDateTime } from "@/components/format";
import { useToast } from "@/components/providers/toast-provider";
import { type TRouterOutputs, useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Badge, type TTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { QueryList } from "@/components/ui/query-list";

import { ALERT_LIST_POLL_MS, type TDeliveryView, type TWebhookView } from "./alert-model";

type TFormat = TWebhookView["format"];

const FORMAT_HINTS: Record<TFormat, string> = {
  json: "Berth's JSON body (see the README): alert, rule, subject, state and times.",
  slack: "Slack-compatible { text, blocks }: Slack, Mattermost and similar incoming webhooks.",
};

function isFormat(value: string): value is TFormat {
  return value === "json" || value === "slack";
}

function CreateWebhookForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<TFormat>("json");
  const create = useMutation(
    trpc.alert.webhook.create.mutationOptions({
      onSuccess: (_, input) => {
        notify("success", `Webhook ${input.name.trim()} added.`);
        setName("");
        setUrl("");
        void queryClient.invalidateQueries(trpc.alert.webhook.find.queryFilter());
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, url, format });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Add webhook" className="space-y-3">
      <h3 className="text-sm font-semibold">Add webhook</h3>
      {create.error && Object.keys(errors).length === 0 ? (
        <Notice tone="danger" role="alert">
          {errorMessage(create.error)}
        </Notice>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Webhook name"
          placeholder="ops-channel"
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          errors={errors.name}
        />
        <SelectField
          label="Format"
          value={format}
          onChange={(event) => {
            if (isFormat(event.target.value)) {
              setFormat(event.target.value);
            }
          }}
          hint={FORMAT_HINTS[format]}
          errors={errors.format}
        >
          <option value="json">JSON</option>
          <option value="slack">Slack</option>
        </SelectField>
        <TextField
          label="URL"
          type="url"
          inputMode="url"
          placeholder="https://hooks.example.com/berth"
          autoComplete="off"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          errors={errors.url}
          className="sm:col-span-2"
        />
      </div>
      <Button type="submit" variant="primary" isBusy={create.isPending}>
        Add webhook
      </Button>
    </form>
  );
}

function WebhookRow({
  webhook,
  onToggle,
  onTest,
  onDelete,
  isTesting,
}: {
  webhook: TWebhookView;
  onToggle: (webhook: TWebhookView) => void;
  onTest: (webhook: TWebhookView) => void;
  onDelete: (webhook: TWebhookView) => void;
  isTesting: boolean;
}) {
  return (
    <li
      className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3"
      data-testid="webhook-row"
      data-webhook-name={webhook.name}
    >
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className="wrap-anywhere">{webhook.name}</span>
          <Badge tone="neutral">{webhook.format}</Badge>
          {webhook.isEnabled ? null : <Badge tone="neutral">off</Badge>}
        </p>
        <p className="mt-0.5 font-mono text-xs wrap-anywhere text-muted">{webhook.url}</p>
      </div>
      <div className="flex flex-wrap gap-1">
        <Button size="sm" isBusy={isTesting} onClick={() => onTest(webhook)}>
          Send test
        </Button>
        <Button size="sm" onClick={() => onToggle(webhook)}>
          {webhook.isEnabled ? "Turn off" : "Turn on"}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          className="text-danger"
          onClick={() => onDelete(webhook)}
          aria-label={`Delete webhook ${webhook.name}`}
        >
          Delete
        </Button>
      </div>
    </li>
  );
}

/** Admins: where alerts are posted, with a test send. */
export function WebhooksPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const webhooks = useQuery(trpc.alert.webhook.find.queryOptions());
  const [deleting, setDeleting] = useState<TWebhookView | null>(null);
  const refresh = () => void queryClient.invalidateQueries(trpc.alert.webhook.find.queryFilter());
  const update = useMutation(
    trpc.alert.webhook.update.mutationOptions({
      onSuccess: refresh,
      onError: (error) => notify("error", errorMessage(error)),
    }),
  );
  const test = useMutation(
    trpc.alert.webhook.test.mutationOptions({
      onSuccess: (result) =>
        result.isDelivered
          ? notify("success", `Test delivered (HTTP ${result.statusCode ?? "?"}).`)
          : notify("error", `Test not delivered: ${result.error ?? "no answer"}.`),
      onError: (error) => notify("error", errorMessage(error)),
    }),
  );
  const remove = useMutation(
    trpc.alert.webhook.delete.mutationOptions({
      onSuccess: () => {
        notify("success", `Webhook ${deleting?.name ?? ""} deleted.`);
        setDeleting(null);
        refresh();
      },
    }),
  );

  return (
    <Panel
      title="Webhooks"
      description="Each alert that fires or resolves is posted to every webhook that is on."
      isFlush
    >
      <QueryList
        query={webhooks}
        loadingLabel="Loading webhooks"
        skeletonRows={2}
        errorTitle="Webhooks could not be loaded"
        empty={
          <div className="border-b border-line">
            <EmptyState title="No webhooks">Alerts show here only until one is added.</EmptyState>
          </div>
        }
      >
        {(items) => (
          <ul className="divide-y divide-line border-b border-line" aria-label="Webhooks">
            {items.map((webhook) => (
              <WebhookRow
                key={webhook.id}
                webhook={webhook}
                isTesting={test.isPending && test.variables.id === webhook.id}
                onTest={(target) => test.mutate({ id: target.id })}
                onToggle={(target) =>
                  update.mutate({
                    id: target.id,
                    name: target.name,
                    url: target.url,
                    format: target.format,
                    isEnabled: !target.isEnabled,
                  })
                }
                onDelete={setDeleting}
              />
            ))}
          </ul>
        )}
      </QueryList>
      <div className="p-4">
        <CreateWebhookForm />
      </div>
      <ConfirmDialog
        isOpen={deleting !== null}
        title={`Delete webhook ${deleting?.name ?? ""}?`}
        confirmLabel="Delete webhook"
        isDanger
        isBusy={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      >
        Its pending deliveries and its delivery log go with it.
      </ConfirmDialog>
    </Panel>
  );
}

const DELIVERY_TONES: Record<TDeliveryView["state"], TTone> = {
  pending: "info",
  delivered: "ok",
  failed: "danger",
};

type TTry = TRouterOutputs["alert"]["delivery"]["find"][number]["tries"][number];

/** Each try of one delivery: when, how long it took, and the answer or the failure. */
function DeliveryTries({ tries }: { tries: TTry[] }) {
  if (tries.length === 0) {
    return null;
  }

  return (
    <ol className="mt-1 space-y-0.5 text-xs text-muted" aria-label="Tries">
      {tries.map((entry) => (
        <li key={entry.number} className="flex flex-wrap gap-x-2">
          <span>#{entry.number}</span>
          <span>{formatDateTime(entry.at)}</span>
          <span>{entry.durationMs} ms</span>
          {entry.statusCode !== null ? <span>HTTP {entry.statusCode}</span> : null}
          {entry.error ? <span className="wrap-anywhere text-danger">{entry.error}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/** Admins: every post of an alert change to a webhook, with each try and its answer. */
export function DeliveryLogPanel() {
  const trpc = useTRPC();
  const deliveries = useQuery(
    trpc.alert.delivery.find.queryOptions({ limit: 50 }, { refetchInterval: ALERT_LIST_POLL_MS }),
  );

  return (
    <Panel
      title="Delivery log"
      description="Failed posts are retried with growing waits, five tries in all."
      isFlush
    >
      <QueryList
        query={deliveries}
        loadingLabel="Loading deliveries"
        skeletonRows={3}
        errorTitle="The delivery log could not be loaded"
        empty={<EmptyState title="Nothing sent yet" />}
      >
        {(items) => (
          <ul className="divide-y divide-line" aria-label="Deliveries">
            {items.map((delivery) => (
              <li key={delivery.id} className="px-4 py-3 text-sm" data-testid="delivery-row">
                <p className="flex flex-wrap items-center gap-2">
                  <Badge tone={DELIVERY_TONES[delivery.state]} hasDot>
                    {delivery.state}
                  </Badge>
                  <span className="font-medium">{delivery.webhookName}</span>
                  <span className="text-muted">{delivery.event}</span>
                </p>
                <p className="mt-0.5 wrap-anywhere text-muted">{delivery.alertMessage}</p>
                <p className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-muted">
                  <span>
                    {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}
                  </span>
                  {delivery.statusCode !== null ? <span>HTTP {delivery.statusCode}</span> : null}
                  {delivery.error ? (
                    <span className="wrap-anywhere text-danger">{delivery.error}</span>
                  ) : null}
                  <span>{formatDateTime(delivery.deliveredAt ?? delivery.createdAt)}</span>
                </p>
                <DeliveryTries tries={delivery.tries} />
              </li>
            ))}
          </ul>
        )}
      </QueryList>
    </Panel>
  );
}
