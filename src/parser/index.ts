export { protocol, PacketType, RESERVED_EVENTS, type Packet, type JSONTransform } from "./packet.js";
export { Encoder, type EncodedPacket } from "./encoder.js";
export { Decoder, type DecoderOptions } from "./decoder.js";
export { isPacketValid } from "./rules.js";
export { isBinary, hasBinary, type Attachment } from "./binary.js";
export { ParserError, isParserError, type ParserErrorCode } from "./errors.js";
