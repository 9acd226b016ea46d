// The client's one error factory. Each error carries a stable `code` to branch on; the
// messages are socket.io-client's, since apps already match on some of them.

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

const MESSAGES: Partial<Record<ClientErrorCode, string>> = {
  CONNECT_TIMEOUT: "timeout",
  ACK_TIMEOUT: "operation has timed out",
  ACK_DISCONNECTED: "socket has been disconnected",
  INCOMPATIBLE_SERVER:
    "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)",
};

/** The error of `code`, with socket.io-client's message for it unless one is given. */
export function clientError(code: ClientErrorCode, message = MESSAGES[code]!, data?: unknown): ClientError {
  return new ClientError(code, message, data);
}

export function isClientError(value: unknown): value is ClientError {
  return value instanceof ClientError;
}
