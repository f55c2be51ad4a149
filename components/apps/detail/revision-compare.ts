/**
 * Which two revisions the Revisions panel compares. Pure, so the rules are unit tested: a
 * row's Compare starts from that revision to the current one (the current row compares with
 * the revision before it); either side can then be set to any revision, or the sides swapped.
 */

export type TComparison = { from: number; to: number };

/**
 * The comparison a row's Compare button opens. `numbers` are the app's revision numbers;
 * null when there is nothing to compare with (an app with one revision).
 */
export function comparisonFor(
  numbers: readonly number[],
  clicked: number,
  current: number,
): TComparison | null {
  if (clicked !== current) {
    return { from: clicked, to: current };
  }
  const older = numbers.filter((number) => number < current);
  if (older.length === 0) {
    return null;
  }

  return { from: Math.max(...older), to: current };
}

/** The comparison with one side moved to `number`. */
export function withSide(
  comparison: TComparison,
  side: keyof TComparison,
  number: number,
): TComparison {
  return { ...comparison, [side]: number };
}

export function swapped(comparison: TComparison): TComparison {
  return { from: comparison.to, to: comparison.from };
}

/** Why a comparison shows no diff, or null when it can be shown. */
export function comparisonProblem(comparison: TComparison): string | null {
  return comparison.from === comparison.to ? "Pick two different revisions to compare." : null;
}
