// The browser bundles' twin of decoded.ts: the same packets and the same listener calls, in
// fewer bytes; a browser decodes one connection's packets, where a server decodes them all.
import type { Emitter } from "@socket.io/component-emitter";
import type { Packet, PacketType } from "./packet.js";

type DecodedEmitter = Emitter<{}, {}, { decoded: (packet: Packet) => void }>;

export function packetOf(type: PacketType, nsp: string, id: number | undefined, data: unknown): Packet {
  const packet: Packet = { type, nsp };
  if (id !== undefined) packet.id = id;
  if (data !== undefined) packet.data = data;
  return packet;
}

export function emitDecoded(decoder: DecodedEmitter, packet: Packet): void {
  (decoder as unknown as { emitReserved: (ev: "decoded", packet: Packet) => void }).emitReserved("decoded", packet);
}
