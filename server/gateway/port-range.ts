/** The range service ports are allocated from (BERTH_GATEWAY_PORTS), both ends included. */
export type TPortRange = { min: number; max: number };

/** Parses `BERTH_GATEWAY_PORTS` ("20000-20999", or one port); undefined when malformed. */
export function parsePortRange(text: string): TPortRange | undefined {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const min = Number(match[1]);
  const max = Number(match[2] ?? match[1]);
  if (min < 1 || max > 65_535 || min > max) {
    return undefined;
  }

  return { min, max };
}
