// The codec a Manager uses without a `parser` option. Its own module so that the msgpack
// bundle can swap in default-parser.msgpack.ts at build time (see rollup.config.js). Named
// imports, not the namespace, so bundles keep only the encoder and decoder.
import { Decoder, Encoder } from "../parser/index.js";
import type { ParserLike } from "./options.js";

export const defaultParser: ParserLike = { Encoder, Decoder };
