// The client's errors: each carries a stable `code` to branch on. Their messages, given where
// each is made, are socket.io-client's, since apps already match on some of them.

export type ClientErrorCode =
  | "CONNECT_TIMEOUT"
  | "ACK_TIMEOUT"
  | "ACK_DISCONNECTED"
  | "RESERVED_EVENT"
  | "CONNECT_REFUSED"
  | "INCOMPATIBLE_SERVER";

/** An `Error` with a stable `code`; `data` is what the server sent with a refused connect. */
export class ClientError extends Error {
  readonly code: ClientErrorCode;
  data?: unknown;

  constructor(code: ClientErrorCode, message: string, data?: unknown) {
    super(message);
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

/** An ack that got no answer in time: the ack store's timeout, and the retry queue's last try. */
export function ackTimeoutError(): ClientError {
  return new ClientError("ACK_TIMEOUT", "operation has timed out");
}

export function isClientError(value: unknown): value is ClientError {
  return value instanceof ClientError;
}
