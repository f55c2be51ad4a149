"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";

import { useCan } from "@/components/auth/session";
import { formatBytes } from "@/components/format";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";

const MIB = 1024 * 1024;

function describe(retention: { logRetentionHours: number; logRetentionBytes: number }) {
  const size = formatBytes(retention.logRetentionBytes);

  const hours = retention.logRetentionHours;

  return `Stored lines are kept ${hours} h, at most ${size}; the oldest go first.`;
}

/** How long and how much of the app's log is stored; operators may change it. */
export function RetentionForm({ appId }: { appId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canOperate = useCan("operator");
  const current = useQuery(trpc.log.retention.get.queryOptions({ appId }));
  const [draft, setDraft] = useState<{ hours: string; mib: string } | null>(null);
  const update = useMutation(
    trpc.log.retention.update.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        await queryClient.invalidateQueries({ queryKey: trpc.log.retention.get.queryKey() });
      },
    }),
  );
  if (!current.data) {
    return null;
  }
  const hours = draft?.hours ?? String(current.data.logRetentionHours);
  const mib = draft?.mib ?? String(current.data.logRetentionBytes / MIB);
  const errors = update.isError ? fieldErrorsOf(update.error) : {};
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      appId,
      logRetentionHours: Number(hours),
      logRetentionBytes: Math.round(Number(mib) * MIB),
    });
  };

  return (
    <Panel title="Log retention" description={describe(current.data)}>
      {canOperate ? (
        <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto]">
          <TextField
            label="Keep for (hours)"
            inputMode="numeric"
            value={hours}
            onChange={(event) => setDraft({ hours: event.target.value, mib })}
            errors={errors.logRetentionHours}
          />
          <TextField
            label="Keep at most (MiB)"
            inputMode="decimal"
            value={mib}
            onChange={(event) => setDraft({ hours, mib: event.target.value })}
            errors={errors.logRetentionBytes}
          />
          <div className="flex items-end">
            <Button type="submit" isBusy={update.isPending} disabled={draft === null}>
              Save
            </Button>
          </div>
          {update.isError && Object.keys(errors).length === 0 ? (
            <Notice tone="danger" role="alert" className="sm:col-span-3">
              {errorMessage(update.error)}
            </Notice>
          ) : null}
        </form>
      ) : (
        <p className="text-sm text-muted">Operators can change this.</p>
      )}
    </Panel>
  );
}
