/**
 * The heartbeat state machine of one node. Pure: the monitor feeds it ping results and clock
 * ticks, it answers with the new state and whether the node went down or came back.
 *
 *   ready --(no successful ping for timeoutMs)--> unreachable
 *   unreachable --(one successful ping)--> ready
 */

export type THealth = "ready" | "unreachable";

export type THeartbeatState = {
  health: THealth;
  /** When the last ping succeeded, or when watching began (a grace period for new watchers). */
  lastOkAt: number;
  lastError: string | null;
};

export type TTransition = "down" | "up" | null;

export type TStep = { state: THeartbeatState; transition: TTransition };

/** Starts watching a node, trusting its stored health until the first deadline passes. */
export function startWatching(health: THealth, now: number): THeartbeatState {
  return { health, lastOkAt: now, lastError: null };
}

export function onPingOk(state: THeartbeatState, at: number): TStep {
  const next: THeartbeatState = {
    health: "ready",
    lastOkAt: Math.max(state.lastOkAt, at),
    lastError: null,
  };

  return { state: next, transition: state.health === "unreachable" ? "up" : null };
}

export function onPingFailed(state: THeartbeatState, error: string): TStep {
  return { state: { ...state, lastError: error }, transition: null };
}

/** Called on every tick: a node silent for `timeoutMs` turns unreachable. */
export function onTick(state: THeartbeatState, now: number, timeoutMs: number): TStep {
  if (state.health === "unreachable" || now - state.lastOkAt < timeoutMs) {
    return { state, transition: null };
  }
  const lastError =
    state.lastError ?? `no heartbeat for ${Math.round((now - state.lastOkAt) / 1000)} s`;

  return { state: { ...state, health: "unreachable", lastError }, transition: "down" };
}
