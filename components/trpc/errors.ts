/**
 * Reading tRPC errors for the UI: the tRPC code, Berth's own code, per-field messages and a
 * message that is always safe to show (never a stack trace).
 */
import { TRPCClientError } from "@trpc/client";

import type { AppRouter } from "@/server/api/root";

export type TFieldErrors = Record<string, string[]>;

type TAppError = TRPCClientError<AppRouter>;

const MAX_QUERY_RETRIES = 2;
const NETWORK_MESSAGE = "Cannot reach the Berth server. Check that it runs, then try again.";
const UNKNOWN_MESSAGE = "Something went wrong. Try again; if it persists, see the server logs.";

function asAppError(error: unknown): TAppError | null {
  return error instanceof TRPCClientError ? (error as TAppError) : null;
}

/** The tRPC code ("UNAUTHORIZED", "CONFLICT", ...) or null for network and page errors. */
export function trpcCode(error: unknown): string | null {
  return asAppError(error)?.data?.code ?? null;
}

/** Berth's error code ("RATE_LIMITED", "NODE_UNREACHABLE", ...) when the server gave one. */
export function berthCode(error: unknown): string | null {
  return asAppError(error)?.data?.berthCode ?? null;
}

export function isUnauthorized(error: unknown): boolean {
  return trpcCode(error) === "UNAUTHORIZED";
}

/** Per-field messages keyed like `name`, `endpoint` or `labels.zone`; empty when none. */
export function fieldErrorsOf(error: unknown): TFieldErrors {
  return asAppError(error)?.data?.fieldErrors ?? {};
}

/** A message a person can act on. Server messages are written for users; others are replaced. */
export function errorMessage(error: unknown): string {
  const appError = asAppError(error);
  if (!appError) {
    return UNKNOWN_MESSAGE;
  }
  if (!appError.data) {
    // No tRPC envelope: the request never got an answer (server down, network gone).
    return NETWORK_MESSAGE;
  }

  return appError.message || UNKNOWN_MESSAGE;
}

/** Retries only what may pass on a second try: network failures and 5xx answers. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  const status = asAppError(error)?.data?.httpStatus;
  if (status !== undefined && status < 500) {
    return false;
  }

  return failureCount < MAX_QUERY_RETRIES;
}
