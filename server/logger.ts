import pino, { type Logger } from "pino";

const LOGGER_KEY = Symbol.for("berth.logger");

type TGlobalWithLogger = typeof globalThis & { [LOGGER_KEY]?: Logger };

function createRootLogger(): Logger {
  const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");
  // A person at a terminal reads lines; anything else (files, collectors) gets JSON.
  const transport = process.stdout.isTTY
    ? { target: "pino-pretty", options: { translateTime: "HH:MM:ss", ignore: "pid,hostname" } }
    : undefined;

  return pino({
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    transport,
  });
}

/** The process-wide structured logger; loops and requests take children with bound ids. */
export function logger(): Logger {
  const store = globalThis as TGlobalWithLogger;
  store[LOGGER_KEY] ??= createRootLogger();

  return store[LOGGER_KEY];
}
