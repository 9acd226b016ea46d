import { deconstruct, hasBinary, type Attachment } from "./binary.js";
import { ParserError } from "./errors.js";
import { PacketType, type JSONTransform, type Packet } from "./packet.js";

/** What one packet becomes on the wire: a string header, then its binary attachments. */
export type EncodedPacket = Array<string | Attachment>;

const TYPE_DIGITS = ["0", "1", "2", "3", "4", "5", "6"];

/**
 * Turns packets into engine.io messages. Pure: it keeps no state between packets and never
 * mutates the packet it is given, so one packet can be encoded for many sockets.
 */
export class Encoder {
  /** @param replacer passed to `JSON.stringify` for every payload */
  constructor(private readonly replacer?: JSONTransform) {}

  encode(packet: Packet): EncodedPacket {
    const type = packet.type;
    if (TYPE_DIGITS[type] === undefined) {
      throw new ParserError("UNKNOWN_PACKET_TYPE", `cannot encode a packet of unknown type ${String(type)}`);
    }
    if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) {
      return this.encodeBinary(packet, type);
    }
    if ((type === PacketType.EVENT || type === PacketType.ACK) && hasBinary(packet.data)) {
      return this.encodeBinary(packet, type === PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK);
    }
    return [this.header(type, packet.nsp, packet.id, undefined) + this.json(packet.data)];
  }

  private encodeBinary(packet: Packet, type: PacketType): EncodedPacket {
    // The attachments go straight into the output, after a slot for the header.
    const out: EncodedPacket = [""];
    const data = deconstruct(packet.data, out, 1);
    const count = out.length - 1;
    if (count === 0) {
      // "50-" is not a packet a decoder accepts: without binary it is a plain EVENT or ACK.
      const plain = type === PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK;
      return [this.header(plain, packet.nsp, packet.id, undefined) + this.json(data)];
    }
    out[0] = this.header(type, packet.nsp, packet.id, count) + this.json(data);
    return out;
  }

  private header(type: PacketType, nsp: string, id: number | undefined, attachments: number | undefined): string {
    let head = TYPE_DIGITS[type]!;
    if (attachments !== undefined) head += attachments + "-";
    if (nsp && nsp !== "/") head += nsp + ",";
    if (id !== undefined && id !== null) head += id;
    return head;
  }

  private json(data: unknown): string {
    return data === undefined ? "" : JSON.stringify(data, this.replacer);
  }
}
