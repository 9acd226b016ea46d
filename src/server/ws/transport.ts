import { Transport } from "engine.io";
import type { WebSocketConnection } from "./connection.js";

type SentCallback = (err?: Error | null) => void;
type Packet = Parameters<Transport["send"]>[0][number];

/** What the transport is given: engine.io's request, carrying the accepted connection. */
interface UpgradedRequest {
  _query: Record<string, string>;
  websocket: WebSocketConnection;
}

interface PreEncoded {
  options?: { wsPreEncodedFrame?: Buffer[] };
}

/**
 * engine.io's WebSocket transport, for connections of rtio's WebSocket server: the same
 * behaviour as engine.io's own, but its connection calls it directly instead of through three
 * listeners, and it makes no closures up front (engine.io's makes four per connection). Its
 * one write callback is made on its first send.
 */
export class WebSocketTransport extends Transport {
  readonly socket: WebSocketConnection;
  /** engine.io assigns it on every WebSocket transport; rtio's connections never compress. */
  perMessageDeflate: unknown = null;
  private sentLast: SentCallback | undefined;

  constructor(req: UpgradedRequest) {
    super(req as unknown as ConstructorParameters<typeof Transport>[0]);
    this.socket = req.websocket;
    this.socket._owner = this;
    this.writable = true;
  }

  get name(): string {
    return "websocket";
  }

  get handlesUpgrades(): boolean {
    return true;
  }

  /**
   * A WebSocket's headers went out with its 101, so this transport never emits "headers":
   * the listener engine.io adds for polling responses is not kept. It would keep engine.io's
   * handshake scope alive, and a sixth event doubles the size of the listener table.
   */
  override on(event: string | symbol, listener: (...args: any[]) => void): this {
    if (event === "headers") return this;
    return super.on(event, listener);
  }

  /**
   * "close" is emitted exactly once here (the connection reports its close once), so a plain
   * listener behaves as a `once` one, without Node's wrapper and its state (112 bytes).
   */
  override once(event: string | symbol, listener: (...args: any[]) => void): this {
    if (event === "close") return super.on(event, listener);
    return super.once(event, listener);
  }

  /** @internal A whole message from the connection. */
  _message(data: string | Buffer): void {
    this.onData(data);
  }

  /** @internal The connection broke the protocol (engine.io's transport gets ws's error the same way). */
  _error(error: Error): void {
    this.onError(String(error));
  }

  /** @internal The connection has closed. */
  _closed(): void {
    this.onClose();
  }

  send(packets: Packet[]): void {
    this.writable = false;
    const last = packets.length - 1;
    for (let i = 0; i <= last; i++) {
      const packet = packets[i]!;
      const cb = i === last ? this.lastSent() : undefined;
      const frame = (packet as PreEncoded).options?.wsPreEncodedFrame;
      if (frame !== undefined) {
        this.socket.sendFrame(frame, cb);
        continue;
      }
      this.parser.encodePacket(packet, this.supportsBinary, (data: unknown) => this.socket.send(data, cb));
    }
  }

  doClose(fn?: () => void): void {
    this.socket.close();
    fn?.();
  }

  // engine.io's contract: the transport is writable again, and flushes what waited, once the
  // last packet of a send has been written.
  private lastSent(): SentCallback {
    return (this.sentLast ??= (err) => {
      if (err) {
        this.onError("write error", err.stack);
        return;
      }
      this.emit("drain");
      this.writable = true;
      this.emit("ready");
    });
  }
}
