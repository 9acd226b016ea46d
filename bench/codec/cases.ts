/** The packets the codec scenario round-trips, and the codecs it compares. */
import * as sioParser from "socket.io-parser";
import * as rtioParser from "../../src/parser/index.js";

export interface CodecCase {
  key: string;
  label: string;
  /** Target ratio rtio/socket.io-parser from the issue. */
  target: number;
  packet: () => { type: number; nsp: string; data: unknown; id?: number };
}

export const CASES: CodecCase[] = [
  {
    key: "event",
    label: "small JSON event",
    target: 0.75,
    packet: () => ({ type: 2, nsp: "/", data: ["message", { text: "hello", n: 1 }] }),
  },
  {
    key: "binary",
    label: "event with a 1 KiB Buffer",
    target: 0.75,
    packet: () => ({ type: 2, nsp: "/", data: ["file", { name: "a.bin", body: Buffer.alloc(1024, 7) }] }),
  },
  {
    key: "ack",
    label: "ack",
    target: 0.65,
    packet: () => ({ type: 3, nsp: "/", id: 42, data: [{ status: "ok" }] }),
  },
];

/** One encode + decode round trip; returns how many packets the decoder produced. */
export interface Codec {
  roundTrip(packet: ReturnType<CodecCase["packet"]>): number;
}

type DecoderLike = { add(chunk: unknown): void; on(event: "decoded", fn: (p: unknown) => void): unknown };

function viaParser(encoder: { encode(p: never): unknown[] }, decoder: DecoderLike): Codec {
  let decoded = 0;
  decoder.on("decoded", () => decoded++);
  return {
    roundTrip(packet) {
      for (const part of encoder.encode(packet as never)) decoder.add(part);
      return decoded;
    },
  };
}

/**
 * The floor: JSON.stringify + JSON.parse of the same payload with a type digit in front; for the
 * binary case, of the header socket.io puts on the wire (the Buffer itself is passed through).
 */
function jsonFloor(): Codec {
  let decoded = 0;
  const placeholder = { _placeholder: true, num: 0 };
  return {
    roundTrip(packet) {
      const data = packet.data as [string, { name?: string; body?: unknown }];
      const wire = data[1]?.body ? [data[0], { name: data[1].name, body: placeholder }] : data;
      const str = String(packet.type) + (packet.id ?? "") + JSON.stringify(wire);
      if (JSON.parse(str.slice(str.indexOf("["))) !== undefined) decoded++;
      return decoded;
    },
  };
}

export type CodecImpl = "rtio" | "socket.io" | "JSON floor";

export function makeCodec(impl: CodecImpl): Codec {
  if (impl === "rtio") return viaParser(new rtioParser.Encoder(), new rtioParser.Decoder());
  if (impl === "socket.io") return viaParser(new sioParser.Encoder(), new sioParser.Decoder());
  return jsonFloor();
}
