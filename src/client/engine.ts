import { Socket as Engine, type Transport } from "engine.io-client";

interface TransportInternals {
  onPacket(packet: { type: string; data?: unknown }): void;
  onError(reason: string, description: unknown): void;
}

/**
 * engine.io-client reads the server's open packet with an unguarded `JSON.parse` and then
 * `data.sid`, so a broken or hostile server (`0{garbage`, `0null`) makes it throw out of the
 * transport's message handler: into the app, or as an uncaught exception in Node. This engine
 * checks the open packet before the stock code sees it and fails that transport like any other
 * transport error, so the Manager reports `connect_error` and reconnects. Only the first
 * packet is checked: the check then steps aside, so no later packet pays for it.
 */
export class GuardedEngine extends Engine {
  protected override setTransport(transport: Transport): void {
    // An own property in front of the prototype's method, gone after the first packet. An
    // upgrade's transport gets it too (not worth a test): it passes all but a bad open packet.
    const t = transport as unknown as TransportInternals;
    t.onPacket = (packet) => {
      delete (t as Partial<TransportInternals>).onPacket;
      if (packet.type === "open" && !isHandshake(packet.data)) t.onError("invalid handshake", packet.data);
      else t.onPacket(packet);
    };
    super.setTransport(transport);
  }
}

// `0null` and `0{}` parse but are no handshake: reading `.sid` of null throws too, into `catch`.
function isHandshake(data: unknown): boolean {
  try {
    return typeof (JSON.parse(data as string) as { sid?: unknown }).sid === "string";
  } catch {
    return false;
  }
}
