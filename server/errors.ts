import { TRPCError } from "@trpc/server";

type TTrpcCode = ConstructorParameters<typeof TRPCError>[0]["code"];

/**
 * The closed set of error codes Berth reports. Each maps to one tRPC code (and so one HTTP
 * status); the message that goes with it says what was wrong and what to do.
 */
export const ERROR_CODES = {
  /** Input failed a check the schema cannot express (e.g. a name already taken). */
  INVALID_INPUT: "BAD_REQUEST",
  /** No signed-in user and no valid API token. */
  UNAUTHENTICATED: "UNAUTHORIZED",
  /** Signed in, but the role does not allow this action. */
  FORBIDDEN: "FORBIDDEN",
  /** Too many attempts; wait and retry. */
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  NOT_FOUND: "NOT_FOUND",
  /** The action conflicts with the current state (e.g. removing a node that runs replicas). */
  CONFLICT: "CONFLICT",
  /** First-run set-up was asked for after an admin already exists. */
  ALREADY_SET_UP: "CONFLICT",
  /** A Docker engine refused the connection or could not be resolved. */
  NODE_UNREACHABLE: "BAD_REQUEST",
  /** A Docker engine did not answer in time. */
  NODE_TIMEOUT: "BAD_REQUEST",
  /** Something answered at the endpoint, but it is not a Docker Engine API. */
  NOT_A_DOCKER_ENGINE: "BAD_REQUEST",
  /** TLS handshake or certificate problem talking to an engine. */
  NODE_TLS_FAILED: "BAD_REQUEST",
  /** A Docker Engine API call failed for another reason. */
  ENGINE_ERROR: "BAD_GATEWAY",
  INTERNAL: "INTERNAL_SERVER_ERROR",
} as const satisfies Record<string, TTrpcCode>;

export type TErrorCode = keyof typeof ERROR_CODES;

type TBerthErrorOptions = {
  /** The input field the error is about, so forms can show it beside that field. */
  field?: string;
  nodeId?: string;
  containerId?: string;
  cause?: unknown;
};

/** The one error type of Berth's server code. */
export class BerthError extends Error {
  override name = "BerthError";
  readonly code: TErrorCode;
  readonly field?: string;
  readonly nodeId?: string;
  readonly containerId?: string;

  constructor(code: TErrorCode, message: string, options: TBerthErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.nodeId = options.nodeId;
    this.containerId = options.containerId;
  }
}

/** Turns a BerthError into the tRPC error the client sees; the BerthError rides as cause. */
export function toTrpcError(error: BerthError): TRPCError {
  return new TRPCError({ code: ERROR_CODES[error.code], message: error.message, cause: error });
}

export function isBerthError(value: unknown): value is BerthError {
  return value instanceof BerthError;
}
