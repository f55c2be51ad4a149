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
/** The first wait before the listener connects again after its connection dropped. */
export const BUS_RECONNECT_MIN_MS = 100;
/** The longest wait between two attempts; the wait doubles up to it. */
export const BUS_RECONNECT_MAX_MS = 5000;

export type TChange =
  | { topic: "node"; nodeId: string }
  | { topic: "app"; appId: string }
  | { topic: "event"; eventId: string }
  /** The listener connected again: changes may have been missed, so read everything anew. */
  | { topic: "resync" };

type TBusState = {
  emitter: EventEmitter;
  listener?: pg.Client;
  notify?: (payload: string) => Promise<void>;
  databaseUrl?: string;
  reconnectTimer?: NodeJS.Timeout;
  isClosing?: boolean;
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
 * stay in this process. When the listening connection drops (a restart, a failover,
 * pg_terminate_backend) it connects again with a doubling wait between BUS_RECONNECT_MIN_MS
 * and BUS_RECONNECT_MAX_MS, then tells subscribers to resync.
 */
export async function connectBusToPostgres(
  databaseUrl: string,
  notify: (payload: string) => Promise<void>,
): Promise<void> {
  const bus = state();
  bus.databaseUrl = databaseUrl;
  bus.isClosing = false;
  bus.listener = await listen(bus);
  bus.notify = notify;
}

async function listen(bus: TBusState): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: bus.databaseUrl });
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
  const drop = (error?: Error) => {
    if (bus.listener !== client) {
      return;
    }
    bus.listener = undefined;
    client.removeAllListeners("notification");
    // A client that failed must still be ended, or its socket lingers.
    client.end().catch(() => undefined);
    if (!bus.isClosing) {
      log.warn({ err: error }, "change listener lost its connection; reconnecting");
      scheduleReconnect(bus, 0);
    }
  };
  client.on("error", drop);
  client.on("end", () => drop());
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
  } catch (error) {
    client.removeAllListeners();
    client.on("error", () => undefined);
    await client.end().catch(() => undefined);
    throw error;
  }

  return client;
}

function scheduleReconnect(bus: TBusState, attempt: number): void {
  const waitMs = Math.min(BUS_RECONNECT_MAX_MS, BUS_RECONNECT_MIN_MS * 2 ** attempt);
  const log = logger().child({ loop: "bus" });
  clearTimeout(bus.reconnectTimer);
  bus.reconnectTimer = setTimeout(() => {
    void (async () => {
      try {
        const client = await listen(bus);
        if (bus.isClosing) {
          await client.end();

          return;
        }
        bus.listener = client;
        log.info({ attempt: attempt + 1 }, "change listener reconnected");
        bus.emitter.emit("change", { topic: "resync" } satisfies TChange);
      } catch (error) {
        if (!bus.isClosing) {
          log.warn({ err: error, attempt: attempt + 1, waitMs }, "change listener not reconnected");
          scheduleReconnect(bus, attempt + 1);
        }
      }
    })();
  }, waitMs);
}

export async function disconnectBus(): Promise<void> {
  const bus = state();
  const listener = bus.listener;
  bus.isClosing = true;
  clearTimeout(bus.reconnectTimer);
  bus.listener = undefined;
  bus.notify = undefined;
  await listener?.end();
}

/** The database process id of the listening connection, or undefined while it is down. */
export function busListenerPid(): number | undefined {
  // Set by pg once connected; @types/pg does not declare it.
  const listener = state().listener as { processID?: number } | undefined;

  return listener?.processID;
}

/** Tells every listening process that something changed. */
export async function publishChange(change: TChange): Promise<void> {
  const bus = state();
  if (bus.notify) {
    await bus.notify(JSON.stringify(change));
    // Our own LISTEN delivers it here too, so it is not also emitted locally, unless the
    // listener is down and reconnecting.
    if (bus.listener) {
      return;
    }
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
