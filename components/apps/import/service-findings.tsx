import type { ReactNode } from "react";

import { cx } from "@/components/ui/cx";

import type { TServicePreview } from "./use-compose-preview";

type TEntry = { path: string; reason: string };

function EntryList({
  title,
  entries,
  tone,
  testId,
}: {
  title: ReactNode;
  entries: readonly TEntry[];
  tone: "danger" | "warn" | "info";
  testId: string;
}) {
  if (entries.length === 0) {
    return null;
  }

  return (
    <div
      className={cx(
        "rounded-md border px-3 py-2 text-xs",
        tone === "danger" && "border-danger/30 bg-danger-soft",
        tone === "warn" && "border-warn/30 bg-warn-soft",
        tone === "info" && "border-info/30 bg-info-soft",
      )}
    >
      <p className="font-medium">{title}</p>
      <ul className="mt-1 space-y-1">
        {entries.map((entry, index) => (
          <li key={`${entry.path}-${index}`} data-testid={testId} data-path={entry.path}>
            <code className="font-mono wrap-anywhere">{entry.path}</code>
            <span className="text-muted">: {entry.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Unsupported keys, lossy conversions or refusals, each at its path in the file. */
export function FileFindings({
  unsupported,
  notes,
}: {
  unsupported: readonly TEntry[];
  notes: readonly TEntry[];
}) {
  return (
    <>
      <EntryList
        title="Not imported (not supported by Berth)"
        entries={unsupported}
        tone="warn"
        testId="unsupported-field"
      />
      <EntryList title="Imported differently" entries={notes} tone="info" testId="import-note" />
    </>
  );
}

/** Why a service cannot be imported, then what would be left out or changed. */
export function ServiceFindings({ service }: { service: TServicePreview }) {
  const errors = Object.entries(service.fieldErrors ?? {}).map(([path, messages]) => ({
    path,
    reason: messages.join(" "),
  }));
  if (errors.length === 0 && service.unsupported.length === 0 && service.notes.length === 0) {
    return null;
  }

  return (
    <div className="space-y-2">
      <EntryList
        title="Cannot be imported until fixed"
        entries={errors}
        tone="danger"
        testId="service-error"
      />
      <FileFindings unsupported={service.unsupported} notes={service.notes} />
    </div>
  );
}
