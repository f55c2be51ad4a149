"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useCan } from "@/components/auth/session";
import { SeverityBadge } from "@/components/events/severity-badge";
import { formatDateTime } from "@/components/format";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Badge, type TTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { SelectField } from "@/components/ui/field";
import { Panel } from "@/components/ui/panel";
import { QueryList } from "@/components/ui/query-list";
import { RelativeTime } from "@/components/ui/relative-time";

import {
  ALERT_LIST_POLL_MS,
  KINDS,
  type TAlertStateFilter,
  type TAlertView,
  alertStatus,
} from "./alert-model";

const STATUS_TONES: Record<ReturnType<typeof alertStatus>, TTone> = {
  firing: "danger",
  acknowledged: "warn",
  resolved: "ok",
};

const STATE_FILTERS: { value: TAlertStateFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "firing", label: "Firing" },
  { value: "resolved", label: "Resolved" },
];

function isStateFilter(value: string): value is TAlertStateFilter {
  return STATE_FILTERS.some((filter) => filter.value === value);
}

function AlertRow({
  alert,
  canAcknowledge,
  isBusy,
  onAcknowledge,
}: {
  alert: TAlertView;
  canAcknowledge: boolean;
  isBusy: boolean;
  onAcknowledge: (alert: TAlertView) => void;
}) {
  const status = alertStatus(alert);

  return (
    <li
      className="flex flex-wrap items-start gap-x-4 gap-y-2 px-4 py-3"
      data-testid="alert-row"
      data-alert-status={status}
      data-alert-rule={alert.ruleName}
    >
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={STATUS_TONES[status]} hasDot data-testid="alert-status">
            {status}
          </Badge>
          <SeverityBadge severity={alert.severity} />
          <span className="font-medium wrap-anywhere">{alert.message}</span>
        </p>
        <p className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted">
          <span>
            {alert.ruleName} · {KINDS[alert.kind].label}
          </span>
          <span title={formatDateTime(alert.firedAt)}>
            fired <RelativeTime at={alert.firedAt} />
          </span>
          {alert.resolvedAt ? (
            <span title={formatDateTime(alert.resolvedAt)}>
              resolved <RelativeTime at={alert.resolvedAt} />
            </span>
          ) : null}
          {alert.acknowledgedAt ? (
            <span>acknowledged by {alert.acknowledgedByName ?? "someone"}</span>
          ) : null}
        </p>
      </div>
      {canAcknowledge && status === "firing" ? (
        <Button
          size="sm"
          isBusy={isBusy}
          onClick={() => onAcknowledge(alert)}
          aria-label={`Acknowledge: ${alert.message}`}
        >
          Acknowledge
        </Button>
      ) : null}
    </li>
  );
}

/** Alerts, firing first; operators acknowledge them, which clears them from the badge. */
export function AlertList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const canAcknowledge = useCan("operator");
  const [state, setState] = useState<TAlertStateFilter>("all");
  const alerts = useQuery(
    trpc.alert.find.queryOptions({ state }, { refetchInterval: ALERT_LIST_POLL_MS }),
  );
  const acknowledge = useMutation(
    trpc.alert.acknowledge.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.alert.find.queryFilter());
        void queryClient.invalidateQueries(trpc.alert.count.queryFilter());
      },
      onError: (error) => notify("error", errorMessage(error)),
    }),
  );

  return (
    <Panel
      title="Alerts"
      description="Firing alerts first. Acknowledging says someone is on it; it resolves by itself."
      isFlush
      actions={
        <SelectField
          label={<span className="sr-only">Show</span>}
          value={state}
          onChange={(event) => {
            if (isStateFilter(event.target.value)) {
              setState(event.target.value);
            }
          }}
          className="w-36"
        >
          {STATE_FILTERS.map((filter) => (
            <option key={filter.value} value={filter.value}>
              {filter.label}
            </option>
          ))}
        </SelectField>
      }
    >
      <QueryList
        query={alerts}
        loadingLabel="Loading alerts"
        skeletonRows={3}
        errorTitle="Alerts could not be loaded"
        empty={
          <EmptyState title={state === "resolved" ? "No resolved alerts" : "No alerts"}>
            Alerts appear here when a rule&apos;s condition holds.
          </EmptyState>
        }
      >
        {(items) => (
          <ul className="divide-y divide-line" aria-label="Alert list">
            {items.map((alert) => (
              <AlertRow
                key={alert.id}
                alert={alert}
                canAcknowledge={canAcknowledge}
                isBusy={acknowledge.isPending && acknowledge.variables.id === alert.id}
                onAcknowledge={(target) => acknowledge.mutate({ id: target.id })}
              />
            ))}
          </ul>
        )}
      </QueryList>
    </Panel>
  );
}
