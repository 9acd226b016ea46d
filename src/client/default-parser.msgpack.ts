// The msgpack bundle's default codec (dist/rtio.msgpack.min.js), wire-compatible with
// servers that use socket.io-msgpack-parser.
import { Decoder, Encoder } from "../msgpack/index.js";
import type { ParserLike } from "./options.js";

export const defaultParser: ParserLike = { Encoder, Decoder };
