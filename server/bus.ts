/**
 * Change notifications between roles. In one process an EventEmitter carries them; when the
 * database is a PostgreSQL server, they go through NOTIFY/LISTEN so that web, controller and
 * gateway processes on other machines hear them too. Messages are small hints ("node X
 * changed"); receivers read the database for the truth.
 */
import { EventEmitter, on } from "node:events";

import pg from "pg";

import { logger } from "./logger";

export const CHANGE_CHANNEL = "berth_change";

export type TChange =
  | { topic: "node"; nodeId: string }
  | { topic: "app"; appId: string }
  | { topic: "event"; eventId: string };

type TBusState = {
  emitter: EventEmitter;
  listener?: pg.Client;
  notify?: (payload: string) => Promise<void>;
};

const BUS_KEY = Symbol.for("berth.bus");
type TGlobalWithBus = typeof globalThis & { [BUS_KEY]?: TBusState };

function state(): TBusState {
  const store = globalThis as TGlobalWithBus;
  if (!store[BUS_KEY]) {
    const emitter = new EventEmitter();
    // Every browser tab with a live view listens; the default cap of 10 would warn.
    emitter.setMaxListeners(0);
    store[BUS_KEY] = { emitter };
  }

  return store[BUS_KEY];
}

/**
 * Connects the bus to PostgreSQL NOTIFY. Without it (embedded database, one process) changes
 * stay in this process.
 */
export async function connectBusToPostgres(
  databaseUrl: string,
  notify: (payload: string) => Promise<void>,
): Promise<void> {
  const bus = state();
  const client = new pg.Client({ connectionString: databaseUrl });
  const log = logger().child({ loop: "bus" });
  client.on("notification", (message) => {
    if (message.channel !== CHANGE_CHANNEL || !message.payload) {
      return;
    }
    try {
      bus.emitter.emit("change", JSON.parse(message.payload) as TChange);
    } catch (error) {
      log.warn({ err: error }, "dropped malformed change notification");
    }
  });
  client.on("error", (error) => log.error({ err: error }, "change listener failed"));
  await client.connect();
  await client.query(`LISTEN ${CHANGE_CHANNEL}`);
  bus.listener = client;
  bus.notify = notify;
}

export async function disconnectBus(): Promise<void> {
  const bus = state();
  const listener = bus.listener;
  bus.listener = undefined;
  bus.notify = undefined;
  await listener?.end();
}

/** Tells every listening process that something changed. */
export async function publishChange(change: TChange): Promise<void> {
  const bus = state();
  if (bus.notify) {
    // Our own LISTEN delivers it here too, so it is not also emitted locally.
    await bus.notify(JSON.stringify(change));

    return;
  }
  bus.emitter.emit("change", change);
}

/** Yields changes until the signal aborts. */
export async function* subscribeChanges(signal?: AbortSignal): AsyncGenerator<TChange> {
  try {
    for await (const [change] of on(state().emitter, "change", { signal })) {
      yield change as TChange;
    }
  } catch (error) {
    if ((error as Error).name !== "AbortError") {
      throw error;
    }
  }
}
