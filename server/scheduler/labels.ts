/**
 * Label constraints evaluated on one node's labels. The filter stage uses interned columns for
 * speed; the re-pack and the test harness use this direct form, with the same meaning.
 */
import { type TLabelConstraint } from "./types";

/** `==` and `in` need the label; `!=` passes a node without it. */
export function matchesConstraint(
  labels: Readonly<Record<string, string>>,
  constraint: TLabelConstraint,
): boolean {
  const value = labels[constraint.key];
  if (constraint.operator === "in") {
    return value !== undefined && constraint.values.includes(value);
  }

  return constraint.operator === "==" ? value === constraint.value : value !== constraint.value;
}

/** Whether the labels satisfy every constraint (an empty list always does). */
export function matchesAll(
  labels: Readonly<Record<string, string>>,
  constraints: readonly TLabelConstraint[],
): boolean {
  return constraints.every((constraint) => matchesConstraint(labels, constraint));
}
