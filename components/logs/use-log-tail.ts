"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useReducer, useState } from "react";

import { redirectToLogin } from "@/components/auth/login-redirect";
import { useTRPC } from "@/components/trpc/client";
import { isUnauthorized } from "@/components/trpc/errors";

import {
  EMPTY_LOG_BUFFER,
  type TLogBuffer,
  type TLogBufferAction,
  logBufferReducer,
} from "./log-buffer";

/** Lines the server sends first, before live ones. */
export const TAIL_LINES = 300;

export type TTailState = "connecting" | "live" | "reconnecting";

export type TLogTarget = { appId: string; replicaId?: string };

function reduceBuffer(state: TLogBuffer, action: TLogBufferAction): TLogBuffer {
  return logBufferReducer(state, action);
}

function redirectOnSignOut(error: unknown) {
  if (isUnauthorized(error)) {
    redirectToLogin();
  }
}

/**
 * The live tail of an app (merged) or one replica: recent lines, then pushed ones, merged into
 * a capped buffer. A reconnect sends the recent lines again; the buffer drops those it has.
 */
export function useLogTail(target: TLogTarget) {
  const trpc = useTRPC();
  const [buffer, dispatch] = useReducer(reduceBuffer, EMPTY_LOG_BUFFER);
  const [hasStarted, setHasStarted] = useState(false);
  const stream = useSubscription(
    trpc.log.tail.subscriptionOptions(
      { ...target, tail: TAIL_LINES },
      {
        onStarted: () => setHasStarted(true),
        onData: (message) => dispatch({ type: "lines", lines: message.lines }),
        onError: redirectOnSignOut,
      },
    ),
  );
  const state: TTailState =
    stream.status === "pending" ? "live" : hasStarted ? "reconnecting" : "connecting";

  return { buffer, dispatch, state, error: stream.error, reconnect: stream.reset };
}
