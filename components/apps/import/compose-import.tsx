"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { plural } from "@/components/format";
import { useToast } from "@/components/providers/toast-provider";
import { useTRPC } from "@/components/trpc/client";
import { errorMessage } from "@/components/trpc/errors";
import { Button, ButtonLink } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { SkeletonRows } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";

import { ComposePreviewList } from "./compose-preview";
import { ComposeSource } from "./compose-source";
import { ImportResults } from "./import-results";
import { FileFindings } from "./service-findings";
import {
  COMPOSE_PREVIEW_KEY,
  type TComposePreview,
  useComposePreview,
} from "./use-compose-preview";

function importableKeys(preview: TComposePreview | undefined, excluded: ReadonlySet<string>) {
  return (preview?.services ?? [])
    .filter((service) => service.spec !== null && !excluded.has(service.key))
    .map((service) => service.key);
}

/**
 * The Compose import: the text, the server's preview of each service (refreshed as the text
 * changes), a choice of services, and the outcome of importing them. Every service that can be
 * imported starts chosen; unticking one is remembered while the text changes.
 */
export function ComposeImport() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [text, setText] = useState("");
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const { preview, settled, isWaiting } = useComposePreview(text);

  const run = useMutation(
    trpc.compose.import.mutationOptions({
      onSuccess: (outcomes) => {
        void queryClient.invalidateQueries({ queryKey: trpc.app.find.queryKey() });
        void queryClient.invalidateQueries({ queryKey: [COMPOSE_PREVIEW_KEY] });
        const done = outcomes.filter((outcome) => outcome.ok).length;
        notify(
          done === outcomes.length ? "success" : "error",
          `${plural(done, "app")} imported of ${outcomes.length}.`,
        );
      },
    }),
  );

  const data = settled.trim() === "" ? undefined : preview.data;
  const chosen = importableKeys(data, excluded);
  const isBusy = run.isPending;
  const canImport = chosen.length > 0 && !isWaiting && !preview.isError && !isBusy;

  const selection = {
    isSelected: (key: string) => !excluded.has(key),
    onToggle: (key: string, isSelected: boolean) =>
      setExcluded((current) => {
        const next = new Set(current);
        if (isSelected) {
          next.delete(key);
        } else {
          next.add(key);
        }

        return next;
      }),
    isDisabled: isBusy,
  };

  return (
    <div className="space-y-5">
      <Panel title="Source">
        <ComposeSource text={text} onChange={setText} isDisabled={isBusy} />
      </Panel>
      <Panel
        title="Preview"
        description={
          data
            ? `${plural(data.services.length, "service")}, ${chosen.length} chosen to import`
            : "What importing the file would do, read as you type. Nothing is written."
        }
        actions={isWaiting && settled.trim() !== "" ? <Spinner /> : null}
        isFlush
      >
        {settled.trim() === "" ? (
          <p className="p-4 text-sm text-muted">Paste a Compose file above to see its services.</p>
        ) : preview.isError ? (
          <div className="p-4">
            <Notice tone="danger" role="alert" title="The file cannot be imported">
              {errorMessage(preview.error)}
            </Notice>
          </div>
        ) : !data ? (
          <SkeletonRows rows={2} label="Reading the file" />
        ) : (
          <>
            {data.unsupported.length > 0 || data.notes.length > 0 ? (
              <div className="space-y-2 p-4 pb-0">
                <FileFindings unsupported={data.unsupported} notes={data.notes} />
              </div>
            ) : null}
            <ComposePreviewList services={data.services} selection={selection} />
          </>
        )}
        <div className="flex flex-wrap items-center gap-3 border-t border-line px-4 py-3">
          <Button
            variant="primary"
            isBusy={isBusy}
            disabled={!canImport}
            onClick={() => run.mutate({ text: settled, services: chosen })}
          >
            {isBusy
              ? `Importing ${plural(chosen.length, "service")}…`
              : `Import ${plural(chosen.length, "service")}`}
          </Button>
          <ButtonLink href="/apps" variant="ghost">
            Cancel
          </ButtonLink>
        </div>
      </Panel>
      {run.error ? (
        <Notice tone="danger" role="alert" title="Nothing was imported">
          {errorMessage(run.error)}
        </Notice>
      ) : null}
      {run.data ? (
        <Panel title="Import results" isFlush>
          <ImportResults outcomes={run.data} />
        </Panel>
      ) : null}
    </div>
  );
}
