/**
 * What a client can get wrong in WebSocket framing (RFC 6455 §5). The codes are the ones the
 * `ws` package gives, so code that matched on them keeps working; `status` is the close code
 * the connection is closed with.
 */
export type WebSocketErrorCode =
  | "WS_ERR_UNEXPECTED_RSV_1"
  | "WS_ERR_UNEXPECTED_RSV_2_3"
  | "WS_ERR_INVALID_OPCODE"
  | "WS_ERR_EXPECTED_FIN"
  | "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH"
  | "WS_ERR_EXPECTED_MASK"
  | "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH"
  | "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"
  | "WS_ERR_INVALID_UTF8"
  | "WS_ERR_INVALID_CLOSE_CODE"
  /** rtio's own: ws has no bound on how many frames one message may be split into. */
  | "WS_ERR_TOO_MANY_FRAGMENTS";

/** A protocol error in what a client sent; the connection is closed with `status`. */
export class WebSocketError extends Error {
  override readonly name = "WebSocketError";

  constructor(
    readonly code: WebSocketErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Close codes a peer may send (RFC 6455 §7.4): the defined ones it may put on the wire, and the private ranges. */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
