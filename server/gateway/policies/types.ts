/**
 * What every balancing policy sees and returns. Policies are pure apart from their own small
 * state (a counter, current weights, a hash ring) and an injected random source, so tests can
 * replay them with a seed.
 */

/** One backend the policy may pick: only those currently eligible are passed in. */
export type TCandidate = {
  /** The replica id: stable across reloads, so per-backend state survives them. */
  id: string;
  /** Relative share for the weighted policy; 0 means none while others weigh more. */
  weight: number;
  /** Requests (http) or connections (tcp) in flight on this backend now. */
  outstanding: number;
  /** Its recent latency (peak EWMA, decaying while idle), in ms; unknown for a new backend. */
  latencyMs?: number;
};

/** What a request offers the policy: the consistent-hash key, when the app hashes. */
export type TPickRequest = { key?: string };

/** A number in [0, 1), as Math.random; injected so that choices are replayable. */
export type TRandom = () => number;

export type TPolicy = {
  /** One of `candidates`, or undefined when there are none. */
  pick(candidates: readonly TCandidate[], request?: TPickRequest): TCandidate | undefined;
};

/** mulberry32: a small, fast seeded generator, good enough to spread load. */
export function seededRandom(seed: number): TRandom {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An index in [0, length) from the random source. */
export function randomIndex(random: TRandom, length: number): number {
  return Math.min(length - 1, Math.floor(random() * length));
}
