// The server's one error factory: every error it creates has a stable `code`.
import { SOCKET_RESERVED_EVENTS } from "./constants.js";

export type ServerErrorCode =
  | "RESERVED_EVENT"
  | "ACK_TIMEOUT"
  | "SOCKET_DISCONNECTED"
  | "TOO_MANY_ACKS"
  | "SERVER_CLOSED"
  | "INVALID_ARGUMENT";

/** An error raised by the server layer; match on `code`, not on `message`. */
export class ServerError extends Error {
  override readonly name = "ServerError";
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function serverError(code: ServerErrorCode, message: string, cause?: unknown): ServerError {
  return cause === undefined ? new ServerError(code, message) : new ServerError(code, message, { cause });
}

/** Throws for an event name the server emits itself (`connect`, `disconnect`, ...). */
export function assertNotReserved(ev: unknown): void {
  if (SOCKET_RESERVED_EVENTS.has(ev as string)) throw serverError("RESERVED_EVENT", `"${String(ev)}" is a reserved event name`);
}

export function isServerError(value: unknown): value is ServerError {
  return value instanceof ServerError;
}

/** An error a middleware passes to `next()`; `data` reaches the client in CONNECT_ERROR. */
export interface ExtendedError extends Error {
  data?: any;
}
