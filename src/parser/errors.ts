/** Stable codes of the errors the codec throws; the messages may be reworded, the codes not. */
export type ParserErrorCode =
  | "UNKNOWN_INPUT"
  | "UNKNOWN_PACKET_TYPE"
  | "ILLEGAL_ATTACHMENTS"
  | "TOO_MANY_ATTACHMENTS"
  | "INVALID_NAMESPACE"
  | "INVALID_ACK_ID"
  | "INVALID_JSON"
  | "INVALID_PAYLOAD"
  | "INVALID_PLACEHOLDER"
  | "UNEXPECTED_STRING"
  | "UNEXPECTED_BINARY"
  | "INVALID_PACKET";

/** An input the codec refuses. The caller closes the connection it came from. */
export class ParserError extends Error {
  override readonly name = "ParserError";
  readonly code: ParserErrorCode;

  constructor(code: ParserErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isParserError(value: unknown): value is ParserError {
  return value instanceof ParserError;
}
