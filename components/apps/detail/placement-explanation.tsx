import { plural } from "@/components/format";
import type { TAppView } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";

import {
  type TPlacementExplanation,
  candidateRows,
  formatScore,
  reasonLines,
  scorerColumns,
} from "../status/app-status";

type TExplanationProps = {
  explanation: TPlacementExplanation | null;
  isPlaced: boolean;
  resources: TAppView["spec"]["resources"];
};

function CandidateTable({ explanation, isPlaced }: Omit<TExplanationProps, "resources">) {
  if (!explanation || explanation.candidates.length === 0) {
    return null;
  }
  const columns = scorerColumns(explanation);
  const rows = candidateRows(explanation, isPlaced);
  const cell = "px-2 py-1 text-right tabular-nums";

  return (
    <div className="overflow-x-auto">
      <table className="text-xs" data-testid="placement-candidates">
        <caption className="pb-1 text-left font-medium text-muted">
          Candidate nodes, best first, scores 0–100
        </caption>
        <thead className="text-muted">
          <tr>
            <th className="px-2 py-1 text-left font-medium">Node</th>
            <th className={cx(cell, "font-medium")}>Score</th>
            {columns.map((column) => (
              <th key={column.key} className={cx(cell, "font-medium")}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rows.map((row) => (
            <tr key={row.nodeName} data-testid="placement-candidate" data-node-name={row.nodeName}>
              <td className="px-2 py-1">
                <span className="flex items-center gap-1.5">
                  <span className="font-medium">{row.nodeName}</span>
                  {row.isChosen ? <Badge tone="ok">chosen</Badge> : null}
                </span>
              </td>
              <td className={cx(cell, "font-semibold")} data-testid="candidate-score">
                {formatScore(row.score)}
              </td>
              {row.scores.map((score) => (
                <td key={score.key} className={cell} data-testid="scorer-score">
                  {formatScore(score.score)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Why the scheduler put a replica where it is, or why it found no node for it. */
export function PlacementExplanation({ explanation, isPlaced, resources }: TExplanationProps) {
  if (!explanation) {
    return (
      <p className="text-xs text-muted" data-testid="placement-explanation">
        No placement recorded yet: the scheduler has not placed this replica.
      </p>
    );
  }
  const reasons = reasonLines(explanation.reasonCounts, resources);

  return (
    <div className="space-y-3" data-testid="placement-explanation">
      <p className="text-sm">{explanation.message}</p>
      <p className="text-xs text-muted">
        {plural(explanation.nodesFeasible, "node")} of {explanation.nodesConsidered} fit.
      </p>
      {reasons.length > 0 ? (
        <div>
          <p className="text-xs font-medium text-muted">Nodes rejected</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs" data-testid="placement-reasons">
            {reasons.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <CandidateTable explanation={explanation} isPlaced={isPlaced} />
    </div>
  );
}
