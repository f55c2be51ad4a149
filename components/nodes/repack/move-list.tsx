import { Badge } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { Spinner } from "@/components/ui/spinner";

import { type TRepackMove, moveStateLabel } from "./repack-model";

function MoveState({ move }: { move: TRepackMove }) {
  const { label, tone } = moveStateLabel(move.state);

  return (
    <Badge tone={tone} hasDot={move.state !== "moving"} data-testid="move-state">
      {move.state === "moving" ? <Spinner className="size-2.5 border" /> : null}
      {label}
    </Badge>
  );
}

type TMoveListProps = {
  moves: readonly TRepackMove[];
  label: string;
  /** Without states, the moves are a plan: nothing has happened to them yet. */
  hasStates?: boolean;
  /** The move in flight, highlighted; -1 for none. */
  currentIndex?: number;
};

/** One line per move: the app and its replica slot, then from → to, then its state. */
export function MoveList({ moves, label, hasStates = false, currentIndex = -1 }: TMoveListProps) {
  return (
    <ol aria-label={label} className="max-h-96 divide-y divide-line overflow-y-auto">
      {moves.map((move, index) => {
        const isCurrent = index === currentIndex;

        return (
          <li
            key={move.replicaId}
            data-testid="repack-move"
            data-state={hasStates ? move.state : undefined}
            aria-current={isCurrent ? "step" : undefined}
            className={cx(
              "flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm",
              isCurrent && "bg-info-soft",
            )}
          >
            <span className="min-w-0 flex-1 basis-40">
              <span className="font-medium wrap-anywhere">{move.appName}</span>
              <span className="text-muted"> · replica {move.slot}</span>
            </span>
            <span className="min-w-0 wrap-anywhere" data-testid="move-route">
              {move.fromName} <span className="text-muted">→</span> {move.toName}
            </span>
            {hasStates ? <MoveState move={move} /> : null}
            {hasStates && move.message ? (
              <span className="basis-full text-xs break-words text-muted">{move.message}</span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
