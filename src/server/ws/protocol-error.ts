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
  | "WS_ERR_TOO_MANY_BUFFERED_PARTS";

/**
 * A protocol error in what a client sent; the connection is closed with `status`. Like ws's, it
 * is a RangeError (an Error for invalid UTF-8) whose message says "Invalid WebSocket frame: "
 * first, except for the two size limits: logs read the same as with ws.
 */
export class WebSocketError extends RangeError {
  constructor(
    readonly code: WebSocketErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" || code === "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH" || code === "WS_ERR_TOO_MANY_BUFFERED_PARTS" ? message : `Invalid WebSocket frame: ${message}`);
    if (code === "WS_ERR_INVALID_UTF8") this.name = "Error";
  }
}

/** Close codes a peer may send (RFC 6455 §7.4): the defined ones it may put on the wire, and the private ranges. */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}
