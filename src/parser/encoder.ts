import { deconstruct, type Attachment } from "./binary.js";
import { parserError } from "./errors.js";
import { isPlainData } from "./plain-data.js";
import type { JSONTransform, Packet } from "./packet.js";
import { RULES } from "./rules.js";
import * as T from "./types.js";

/** What one packet becomes on the wire: a string header, then its binary attachments. */
export type EncodedPacket = Array<string | Attachment>;

/**
 * Turns packets into engine.io messages. Pure: it keeps no state between packets and never
 * mutates the packet it is given, so one packet can be encoded for many sockets.
 */
export class Encoder {
  private readonly _replacer: JSONTransform | undefined;

  /** @param replacer passed to `JSON.stringify` for every payload */
  constructor(replacer?: JSONTransform) {
    this._replacer = replacer;
  }

  encode(packet: Packet): EncodedPacket {
    let type: number = packet.type;
    if (!RULES[type]) {
      throw parserError("UNKNOWN_PACKET_TYPE", String(type));
    }
    let data: unknown = packet.data;
    // The attachments go straight into the output, after a slot for the header.
    const out: EncodedPacket = [""];
    if (type === T.EVENT || type === T.ACK || type >= T.BINARY_EVENT) {
      // One walk finds the binaries and swaps them for placeholders.
      if (!isPlainData(data)) data = deconstruct(data, out, 1, "") ?? data;
      // BINARY_EVENT and BINARY_ACK are EVENT and ACK plus 3, and go out as EVENT and ACK
      // without binary: "50-" is not a packet a decoder accepts.
      if (type >= T.BINARY_EVENT) type -= 3;
      if (out.length > 1) type += 3;
    }
    let head = "" + type;
    if (out.length > 1) head += out.length - 1 + "-";
    const nsp = packet.nsp;
    if (nsp && nsp !== "/") head += nsp + ",";
    if (packet.id != null) head += packet.id;
    out[0] = data === undefined ? head : head + JSON.stringify(data, this._replacer);
    return out;
  }
}
