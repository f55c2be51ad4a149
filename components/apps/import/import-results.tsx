import Link from "next/link";

import { Badge } from "@/components/ui/badge";

import type { TImportOutcome } from "./use-compose-preview";

function OutcomeBadge({ outcome }: { outcome: TImportOutcome }) {
  if (!outcome.ok) {
    return (
      <Badge tone="danger" hasDot>
        Not imported
      </Badge>
    );
  }

  return (
    <Badge tone="ok" hasDot>
      {outcome.action === "create" ? "Created" : `Updated to revision ${outcome.revision ?? ""}`}
    </Badge>
  );
}

/** What the import did to each chosen service, with a link to each app. */
export function ImportResults({ outcomes }: { outcomes: readonly TImportOutcome[] }) {
  return (
    <ul className="divide-y divide-line" aria-label="Import results">
      {outcomes.map((outcome) => (
        <li
          key={outcome.key}
          data-testid="import-result"
          data-service-name={outcome.name}
          data-ok={outcome.ok}
          className="space-y-1 px-4 py-3 text-sm"
        >
          <div className="flex flex-wrap items-center justify-between gap-2">
            {outcome.appId ? (
              <Link
                href={`/apps/${outcome.appId}`}
                className="font-medium wrap-anywhere text-accent hover:underline"
              >
                {outcome.name}
              </Link>
            ) : (
              <span className="font-medium wrap-anywhere">{outcome.name}</span>
            )}
            <OutcomeBadge outcome={outcome} />
          </div>
          {outcome.error ? (
            <p className="text-xs break-words text-danger">{outcome.error}</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
