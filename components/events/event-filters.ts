/** The events page's filters, read from and written to the URL so a view can be shared. */
export const SEVERITIES = ["info", "warning", "error"] as const;
export type TSeverity = (typeof SEVERITIES)[number];

export const KIND_PREFIXES = ["node.", "user.", "token."] as const;

export type TTimelineFilter = { severity?: TSeverity; kindPrefix?: string };

function isSeverity(value: string | null): value is TSeverity {
  return SEVERITIES.some((severity) => severity === value);
}

/** Unknown values are dropped rather than sent to the server. */
export function filterFromParams(params: URLSearchParams): TTimelineFilter {
  const severity = params.get("severity");
  const kind = params.get("kind");
  const filter: TTimelineFilter = {};
  if (isSeverity(severity)) {
    filter.severity = severity;
  }
  if (kind && KIND_PREFIXES.some((prefix) => prefix === kind)) {
    filter.kindPrefix = kind;
  }

  return filter;
}

export function paramsFromFilter(filter: TTimelineFilter): string {
  const params = new URLSearchParams();
  if (filter.severity) {
    params.set("severity", filter.severity);
  }
  if (filter.kindPrefix) {
    params.set("kind", filter.kindPrefix);
  }
  const text = params.toString();

  return text === "" ? "" : `?${text}`;
}
