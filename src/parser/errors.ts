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

  // The message is the caller's: the msgpack codec throws ParserErrors with its own words.
  constructor(code: ParserErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The codes the JSON codec itself throws; the msgpack codec brings its own messages for the rest. */
type JSONCodecErrorCode = Exclude<ParserErrorCode, "INVALID_NAMESPACE" | "INVALID_PACKET">;

/**
 * The codec's error factory: the code in words ("INVALID_ACK_ID" gives "invalid ack id"),
 * then `detail` if any. Words made from the code rather than a table of messages: the
 * codes already read as messages, and a table would ship in every browser bundle.
 */
export function parserError(code: JSONCodecErrorCode, detail?: string | number, cause?: unknown): ParserError {
  const words = code.toLowerCase().replace(/_/g, " ");
  return new ParserError(code, detail === undefined ? words : words + ": " + detail, cause === undefined ? undefined : { cause });
}

export function isParserError(value: unknown): value is ParserError {
  return value instanceof ParserError;
}
