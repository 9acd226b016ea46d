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

/** The codes the JSON codec itself throws; the msgpack codec brings its own messages for the rest. */
type JSONCodecErrorCode = Exclude<ParserErrorCode, "INVALID_NAMESPACE" | "INVALID_PACKET">;

// Each message once, keyed by its code; the throw sites add only the detail that varies
// (a packet type, a count). Kept short: they ship in every browser bundle.
const MESSAGES: Record<JSONCodecErrorCode, string> = {
  UNKNOWN_INPUT: "expected a string or binary data",
  UNKNOWN_PACKET_TYPE: "unknown packet type",
  ILLEGAL_ATTACHMENTS: "illegal attachment count",
  TOO_MANY_ATTACHMENTS: "too many attachments",
  INVALID_ACK_ID: "invalid ack id",
  INVALID_JSON: "invalid JSON",
  INVALID_PAYLOAD: "invalid payload",
  INVALID_PLACEHOLDER: "invalid binary placeholder",
  UNEXPECTED_STRING: "text packet while attachments were due",
  UNEXPECTED_BINARY: "binary data without a binary packet",
};

/** An input the codec refuses. The caller closes the connection it came from. */
export class ParserError extends Error {
  override readonly name = "ParserError";
  readonly code: ParserErrorCode;

  // The message is the caller's, not looked up here: the msgpack codec throws ParserErrors
  // with its own words and its bundle should not carry this table.
  constructor(code: ParserErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The codec's error factory: the code's message, then `detail` if any. */
export function parserError(code: JSONCodecErrorCode, detail?: string | number, cause?: unknown): ParserError {
  const message = detail === undefined ? MESSAGES[code] : MESSAGES[code] + ": " + detail;
  return new ParserError(code, message, cause === undefined ? undefined : { cause });
}

export function isParserError(value: unknown): value is ParserError {
  return value instanceof ParserError;
}
