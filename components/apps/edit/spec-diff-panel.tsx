"use client";

import { plural } from "@/components/format";
import { Panel } from "@/components/ui/panel";
import { type TDiffEntry, formatDiff } from "@/server/apps/diff";

const KIND_MARKS = { added: "+", removed: "−", changed: "~" } as const;

type TSpecDiffPanelProps = {
  /** The differences from the current spec, or null while the form does not pass its checks. */
  entries: readonly TDiffEntry[] | null;
};

/** What the update would change, line by line, before anything is written. */
export function SpecDiffPanel({ entries }: TSpecDiffPanelProps) {
  const lines = entries ? formatDiff(entries) : [];

  return (
    <Panel
      title="What will change"
      description={
        entries === null
          ? "Shown once the form passes its checks."
          : entries.length === 0
            ? "Nothing yet: the form matches the current revision."
            : `${plural(entries.length, "change")}, rolled out as a new revision.`
      }
      isFlush
    >
      {entries && entries.length > 0 ? (
        <ul className="divide-y divide-line" aria-label="Changes">
          {entries.map((entry, index) => (
            <li
              key={entry.path}
              data-testid="diff-line"
              data-kind={entry.kind}
              className="flex gap-2 px-4 py-2 font-mono text-xs break-all"
            >
              <span aria-hidden="true" className="text-muted">
                {KIND_MARKS[entry.kind]}
              </span>
              <span>{lines[index]}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </Panel>
  );
}
