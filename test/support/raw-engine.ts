// A tiny Engine.IO v4 client over `ws`, for tests that must speak the wire directly:
// it does the handshake, answers pings, and sends whatever strings or bytes a test gives it,
// well-formed or not.
import { EventEmitter, once } from "node:events";
import WebSocket from "ws";

export interface OpenPacket {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

export class RawEngineClient extends EventEmitter {
  /** Socket.IO packets (the text after the engine's "4"), in arrival order. */
  readonly packets: Array<string | Buffer> = [];
  readonly closed: Promise<{ code: number }>;
  private constructor(
    private readonly ws: WebSocket,
    readonly handshake: OpenPacket,
  ) {
    super();
    this.closed = new Promise((resolve) => ws.once("close", (code: number) => resolve({ code })));
    ws.on("message", (data: Buffer, isBinary: boolean) => this.onmessage(data, isBinary));
  }

  /** Opens a WebSocket session and resolves after the Engine.IO open packet. */
  static async connect(port: number, path = "/socket.io"): Promise<RawEngineClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}/?EIO=4&transport=websocket`);
    const [first] = (await once(ws, "message")) as [Buffer];
    const text = first.toString();
    if (text[0] !== "0") throw new Error(`expected an open packet, got ${text}`);
    return new RawEngineClient(ws, JSON.parse(text.slice(1)) as OpenPacket);
  }

  private onmessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.packets.push(data);
      this.emit("packet", data);
      return;
    }
    const text = data.toString();
    if (text === "2") return this.ws.send("3"); // ping -> pong
    if (text[0] === "4") {
      this.packets.push(text.slice(1));
      this.emit("packet", text.slice(1));
    }
  }

  /** Sends a Socket.IO packet as an Engine.IO message (prefix "4"). */
  send(packet: string): void {
    this.ws.send("4" + packet);
  }

  /** Sends a raw Engine.IO frame: no prefix added. */
  sendRaw(frame: string): void {
    this.ws.send(frame);
  }

  /** Sends binary data (an Engine.IO v4 binary message). */
  sendBinary(data: Uint8Array): void {
    this.ws.send(data);
  }

  /** Resolves with the first packet (already received or next) that matches. */
  waitFor(match: (packet: string | Buffer) => boolean): Promise<string | Buffer> {
    const found = this.packets.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => {
      const listener = (packet: string | Buffer) => {
        if (!match(packet)) return;
        this.off("packet", listener);
        resolve(packet);
      };
      this.on("packet", listener);
    });
  }

  /** Sends CONNECT for `nsp` and resolves with the server's CONNECT reply. */
  async join(nsp = "/", auth?: object): Promise<string> {
    const prefix = nsp === "/" ? "" : nsp + ",";
    this.send("0" + prefix + (auth ? JSON.stringify(auth) : ""));
    return (await this.waitFor((p) => typeof p === "string" && p.startsWith("0" + prefix))) as string;
  }

  /** Stops reading from the socket, like a client that hung: the server's writes back up. */
  pause(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    this.ws.close();
  }
}
