/**
 * The live event timeline: pushed events are merged into cached lists, newest first, with a cap
 * so a long-open page keeps bounded memory. Pure functions, tested in event-buffer.test.ts.
 */

/** The most events a live list keeps; older ones are a "Load older" away. */
export const EVENT_BUFFER_CAP = 500;

type TEventLike = {
  id: string;
  kind: string;
  severity: string;
  nodeId: string | null;
  appId?: string | null;
};

export type TEventListFilter = {
  nodeId?: string;
  appId?: string;
  kindPrefix?: string;
  severity?: string;
  beforeId?: string;
};

/** Compares decimal id strings (BigInt ids) without losing precision: shorter is smaller. */
export function compareEventIds(a: string, b: string): number {
  if (a.length !== b.length) {
    return a.length - b.length;
  }
  if (a === b) {
    return 0;
  }

  return a < b ? -1 : 1;
}

/** Whether a live event belongs in a list fetched with this filter. */
export function eventMatchesFilter(event: TEventLike, filter: TEventListFilter): boolean {
  // A list read with beforeId is a page of older history; new events never belong in it.
  if (filter.beforeId !== undefined) {
    return false;
  }
  if (filter.nodeId !== undefined && event.nodeId !== filter.nodeId) {
    return false;
  }
  if (filter.appId !== undefined && event.appId !== filter.appId) {
    return false;
  }
  if (filter.severity !== undefined && event.severity !== filter.severity) {
    return false;
  }

  return filter.kindPrefix === undefined || event.kind.startsWith(filter.kindPrefix);
}

/**
 * Adds one event to a newest-first list: duplicates (a push racing a refetch) are ignored, an
 * out-of-order event lands in id order, and the list is cut to `cap`. An unloaded list stays so.
 */
export function prependEvent<TEvent extends TEventLike>(
  list: readonly TEvent[] | undefined,
  event: TEvent,
  cap: number = EVENT_BUFFER_CAP,
): TEvent[] | undefined {
  if (!list) {
    return undefined;
  }
  if (list.some((item) => item.id === event.id)) {
    return [...list];
  }
  const index = list.findIndex((item) => compareEventIds(event.id, item.id) > 0);
  const merged =
    index === -1 ? [...list, event] : [...list.slice(0, index), event, ...list.slice(index)];

  return merged.slice(0, cap);
}
