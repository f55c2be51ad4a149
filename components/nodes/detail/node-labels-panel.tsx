"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useCan } from "@/components/auth/session";
import { fieldErrorsFromZod, mergeFieldErrors } from "@/components/forms/field-errors";
import { applyNodeChange } from "@/components/live/live-cache";
import { useToast } from "@/components/providers/toast-provider";
import { type TNodeView, useTRPC } from "@/components/trpc/client";
import { type TFieldErrors, errorMessage, fieldErrorsOf } from "@/components/trpc/errors";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";
import { ZLabels } from "@/server/nodes/schema";

import {
  type TLabelRow,
  type TRowErrors,
  labelsFromRows,
  rowErrorsFromFieldErrors,
  rowsFromLabels,
} from "../labels-model";
import { LabelsEditor } from "../labels-editor";
import { NodeLabels } from "../node-labels";

/** Prefixes zod paths from the labels schema so they read like the server's `labels.<key>`. */
function labelErrors(labels: Record<string, string>): TFieldErrors {
  const result = ZLabels.safeParse(labels);
  if (result.success) {
    return {};
  }
  const errors = fieldErrorsFromZod(result.error);

  return Object.fromEntries(
    Object.entries(errors).map(([key, messages]) => [
      key === "input" ? "labels" : `labels.${key}`,
      messages,
    ]),
  );
}

function LabelsForm({ node, onDone }: { node: TNodeView; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [rows, setRows] = useState<TLabelRow[]>(() => rowsFromLabels(node.labels));
  const [clientErrors, setClientErrors] = useState<TFieldErrors>({});
  const [clientRowErrors, setClientRowErrors] = useState<TRowErrors>({});
  const update = useMutation(
    trpc.node.update.mutationOptions({
      onSuccess: (updated) => {
        applyNodeChange(queryClient, trpc, { type: "upsert", node: updated });
        notify("success", `Labels of ${updated.name} saved.`);
        onDone();
      },
    }),
  );

  const errors = mergeFieldErrors(fieldErrorsOf(update.error), clientErrors);
  const rowErrors = { ...rowErrorsFromFieldErrors(rows, errors), ...clientRowErrors };

  const save = () => {
    const { labels, rowErrors: duplicates } = labelsFromRows(rows);
    const found = labelErrors(labels);
    setClientErrors(found);
    setClientRowErrors(duplicates);
    if (Object.keys(found).length > 0 || Object.keys(duplicates).length > 0) {
      return;
    }
    update.mutate({ id: node.id, labels });
  };

  return (
    <div className="space-y-3">
      {update.error && Object.keys(fieldErrorsOf(update.error)).length === 0 ? (
        <Notice tone="danger" role="alert">
          {errorMessage(update.error)}
        </Notice>
      ) : null}
      <LabelsEditor
        rows={rows}
        onChange={setRows}
        rowErrors={rowErrors}
        errors={errors.labels}
        isDisabled={update.isPending}
      />
      <div className="flex gap-2 border-t border-line pt-3">
        <Button variant="primary" size="sm" onClick={save} isBusy={update.isPending}>
          Save labels
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone} disabled={update.isPending}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

/** The node's labels; operators can edit and save them. */
export function NodeLabelsPanel({ node }: { node: TNodeView }) {
  const canOperate = useCan("operator");
  const [isEditing, setIsEditing] = useState(false);

  return (
    <Panel
      title="Labels"
      description="Placement rules of apps match these."
      actions={
        canOperate && !isEditing ? (
          <Button size="sm" onClick={() => setIsEditing(true)}>
            Edit labels
          </Button>
        ) : null
      }
    >
      {isEditing ? (
        <LabelsForm node={node} onDone={() => setIsEditing(false)} />
      ) : (
        <NodeLabels labels={node.labels} />
      )}
    </Panel>
  );
}
