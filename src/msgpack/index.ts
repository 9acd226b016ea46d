import { Emitter } from "@socket.io/component-emitter";
import { ParserError, type Packet } from "../parser/index.js";
import { decode } from "./decode.js";
import { encode } from "./encode.js";

// A Socket.IO parser that writes each packet as one MessagePack message, wire-compatible
// with socket.io-msgpack-parser: the packet object itself is encoded, so binary needs no
// attachments. Pass it as the `parser` option of a client or server.

export const protocol = 5;

/** The packet types this parser produces: binary travels inside EVENT and ACK. */
export const PacketType = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4 } as const;

export { encode, decode };

export class Encoder {
  encode(packet: Packet): Uint8Array[] {
    const { type, nsp, data, id } = packet;
    return [encode({ type, data, nsp, id })];
  }
}

const isObject = (v: unknown): boolean => Object.prototype.toString.call(v) === "[object Object]";

// What each packet type may carry, as socket.io-msgpack-parser checks it.
const PAYLOAD: Record<number, (data: unknown) => boolean> = {
  0: (d) => d === undefined || isObject(d),
  1: (d) => d === undefined,
  2: Array.isArray,
  3: Array.isArray,
  4: (d) => typeof d === "string" || isObject(d),
};

export class Decoder extends Emitter<{}, {}, { decoded: (packet: Packet) => void }> {
  /** Decodes one message and emits it as a packet; throws a ParserError if it is not one. */
  add(chunk: ArrayBuffer | ArrayBufferView): void {
    let value: unknown;
    try {
      value = decode(chunk);
    } catch (cause) {
      throw new ParserError("INVALID_PACKET", "invalid MessagePack data", { cause });
    }
    this.emitReserved("decoded", check(value));
  }

  destroy(): void {}
}

function check(value: unknown): Packet {
  const p = value as Packet | null;
  if (!isObject(p)) throw new ParserError("INVALID_PACKET", "invalid packet: not a map");
  const valid = PAYLOAD[p!.type];
  if (!Number.isInteger(p!.type) || !valid) throw new ParserError("UNKNOWN_PACKET_TYPE", "invalid packet type");
  if (typeof p!.nsp !== "string") throw new ParserError("INVALID_NAMESPACE", "invalid namespace");
  if (!valid(p!.data)) throw new ParserError("INVALID_PAYLOAD", "invalid payload");
  if (p!.id !== undefined && p!.id !== null && !Number.isInteger(p!.id)) throw new ParserError("INVALID_ACK_ID", "invalid packet id");
  return p!;
}
