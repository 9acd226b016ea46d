// How a decoded packet is built and handed on, made fast for servers, which decode every
// packet of every client. The browser bundles take decoded.browser.ts: the same behaviour in
// fewer bytes.
import type { Emitter } from "@socket.io/component-emitter";
import type { Packet, PacketType } from "./packet.js";

type DecodedEmitter = Emitter<{}, {}, { decoded: (packet: Packet) => void }>;

/**
 * The packet in one literal per shape: every field in-object from the start, instead of
 * growing `{type, nsp}` field by field (a map transition and a property store each).
 */
export function packetOf(type: PacketType, nsp: string, id: number | undefined, data: unknown): Packet {
  if (id === undefined) return data === undefined ? { type, nsp } : { type, nsp, data };
  return data === undefined ? { type, nsp, id } : { type, nsp, id, data };
}

/**
 * `emitReserved("decoded", p)` builds "$decoded", an arguments array and a copy of the
 * listener list for every packet: on a small ack that is a tenth of the decoder's cost.
 * component-emitter (pinned ~3.1) keeps listeners in `_callbacks["$" + event]`; read that
 * with a constant key and call the listeners directly, in the same order and with the same
 * snapshot semantics.
 */
export function emitDecoded(decoder: DecodedEmitter, packet: Packet): void {
  const listeners = (decoder as unknown as { _callbacks?: Record<string, Array<(p: Packet) => void>> })._callbacks?.$decoded;
  if (listeners === undefined) return;
  if (listeners.length === 1) listeners[0]!.call(decoder, packet);
  else for (const listener of listeners.slice()) listener.call(decoder, packet);
}
