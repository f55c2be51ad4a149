import type { TEventListFilter } from "./event-buffer";

/** The query key root of the paged event timeline (an infinite query over `event.find`). */
export const EVENT_TIMELINE_KEY = "event-timeline";

export function eventTimelineKey(filter: TEventListFilter) {
  return [EVENT_TIMELINE_KEY, filter] as const;
}
