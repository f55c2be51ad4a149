/**
 * The containers page's search and state filter, read from and written to the URL so a view can
 * be shared, and how fresh the polled list is. Pure; unit tested beside.
 */
import {
  CONTAINER_STATE_FILTERS,
  MAX_CONTAINER_QUERY_LENGTH,
  type TContainerStateFilter,
} from "@/server/containers/schema";

export type TContainerFilter = { query: string; state: TContainerStateFilter };

function isStateFilter(value: string | null): value is TContainerStateFilter {
  return CONTAINER_STATE_FILTERS.some((state) => state === value);
}

/** Unknown states fall back to all; an overlong query is cut rather than refused. */
export function filterFromParams(params: URLSearchParams): TContainerFilter {
  const state = params.get("state");

  return {
    query: (params.get("q") ?? "").slice(0, MAX_CONTAINER_QUERY_LENGTH),
    state: isStateFilter(state) ? state : "all",
  };
}

/** `?q=web&state=running`; the defaults are left out, so the bare page has a bare URL. */
export function paramsFromFilter(filter: TContainerFilter): string {
  const params = new URLSearchParams();
  const query = filter.query.trim();
  if (query !== "") {
    params.set("q", query);
  }
  if (filter.state !== "all") {
    params.set("state", filter.state);
  }
  const text = params.toString();

  return text === "" ? "" : `?${text}`;
}

/** "live": recent; "stale": no answer for a while; "failed": the last refresh failed. */
export type TFreshness = "live" | "stale" | "failed";

/**
 * How far to trust what the list shows. Stale after missing about two refreshes, so one slow
 * answer does not make the page cry wolf.
 */
export function freshnessOf(
  updatedAtMs: number,
  nowMs: number,
  refreshMs: number,
  hasRefreshFailed: boolean,
): TFreshness {
  if (hasRefreshFailed) {
    return "failed";
  }

  return nowMs - updatedAtMs > 3 * refreshMs ? "stale" : "live";
}
