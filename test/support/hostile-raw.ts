// Raw Engine.IO v4 clients for hostile tests: they speak the wire by hand, over WebSocket or
// HTTP long-polling, and do only what the test says (a client that never answers pings, or
// never polls, is one option away).
import { EventEmitter } from "node:events";
import { request, type IncomingMessage } from "node:http";
import WebSocket from "ws";

export interface Handshake {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
}

export interface HostileOptions {
  path?: string;
  /** Answer the server's pings (default true); false makes a client the server must time out. */
  pong?: boolean;
}

/** What both transports offer a test. */
export interface HostileClient extends EventEmitter {
  readonly handshake: Handshake;
  /** Socket.IO packets received (the text after the engine's "4", or bytes). */
  readonly packets: Array<string | Buffer>;
  /** Resolves once the server has closed the session (or the transport died). */
  readonly closed: Promise<void>;
  readonly isOpen: boolean;
  /** Sends Socket.IO packets (each gets the engine's "4" prefix). */
  send(...packets: string[]): void;
  /** Sends raw Engine.IO frames, no prefix added. */
  sendRaw(...frames: string[]): void;
  sendBinary(data: Uint8Array): void;
  waitFor(match: (packet: string | Buffer) => boolean): Promise<string | Buffer>;
  close(): void;
}

abstract class Base extends EventEmitter {
  readonly packets: Array<string | Buffer> = [];
  protected open = true;
  protected resolveClosed!: () => void;
  readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));

  constructor(readonly handshake: Handshake, protected readonly pong: boolean) {
    super();
  }

  get isOpen(): boolean {
    return this.open;
  }

  protected markClosed(): void {
    if (!this.open) return;
    this.open = false;
    this.resolveClosed();
    this.emit("close");
  }

  /** Handles one engine.io frame from the server. */
  protected onframe(frame: string | Buffer): void {
    if (typeof frame !== "string") {
      this.packets.push(frame);
      this.emit("packet", frame);
    } else if (frame === "2") {
      if (this.pong) this.sendRaw("3");
    } else if (frame === "1") {
      this.markClosed();
    } else if (frame[0] === "4") {
      this.packets.push(frame.slice(1));
      this.emit("packet", frame.slice(1));
    } else if (frame[0] === "b") {
      const bytes = Buffer.from(frame.slice(1), "base64");
      this.packets.push(bytes);
      this.emit("packet", bytes);
    }
  }

  abstract sendRaw(...frames: string[]): void;

  send(...packets: string[]): void {
    this.sendRaw(...packets.map((p) => "4" + p));
  }

  waitFor(match: (packet: string | Buffer) => boolean): Promise<string | Buffer> {
    const found = this.packets.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onpacket = (packet: string | Buffer) => {
        if (!match(packet)) return;
        this.off("packet", onpacket);
        this.off("close", onclose);
        resolve(packet);
      };
      const onclose = () => {
        this.off("packet", onpacket);
        reject(new Error("closed before the awaited packet"));
      };
      this.on("packet", onpacket);
      this.once("close", onclose);
    });
  }

  /** Sends CONNECT for `nsp` and resolves with the server's answer (CONNECT or CONNECT_ERROR). */
  async join(nsp = "/", auth?: object): Promise<string> {
    const prefix = nsp === "/" ? "" : nsp + ",";
    this.send("0" + prefix + (auth ? JSON.stringify(auth) : ""));
    return (await this.waitFor((p) => typeof p === "string" && (p.startsWith("0" + prefix) || p.startsWith("4" + prefix)))) as string;
  }
}

/** A raw WebSocket session. */
export class HostileWs extends Base implements HostileClient {
  private constructor(private readonly ws: WebSocket, handshake: Handshake, pong: boolean) {
    super(handshake, pong);
    ws.on("message", (data: Buffer, isBinary: boolean) => this.onframe(isBinary ? data : data.toString()));
    ws.on("close", () => this.markClosed());
    ws.on("error", () => this.markClosed());
  }

  static connect(port: number, opts: HostileOptions = {}): Promise<HostileWs> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${opts.path ?? "/socket.io"}/?EIO=4&transport=websocket`);
    return new Promise((resolve, reject) => {
      ws.once("error", reject);
      ws.once("message", (data: Buffer) => {
        ws.off("error", reject);
        const text = data.toString();
        if (text[0] !== "0") return reject(new Error(`expected an open packet, got ${text.slice(0, 50)}`));
        resolve(new HostileWs(ws, JSON.parse(text.slice(1)) as Handshake, opts.pong ?? true));
      });
    });
  }

  sendRaw(...frames: string[]): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    for (const f of frames) this.ws.send(f);
  }

  sendBinary(data: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.ws.terminate();
  }
}

interface HttpReply {
  status: number;
  body: string;
}

function http(port: number, method: "GET" | "POST", path: string, body?: string, inflight?: Set<{ destroy(): void }>): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, agent: false, headers: body === undefined ? {} : { "content-type": "text/plain;charset=UTF-8" } }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    inflight?.add(req);
    req.on("close", () => inflight?.delete(req));
    req.end(body);
  });
}

/**
 * A raw long-polling session. It polls in a loop unless told not to (`polling: false`,
 * the slow client that never comes back for its messages).
 */
export class HostilePolling extends Base implements HostileClient {
  private polling = false;
  private readonly query: string;
  // engine.io closes a session whose POSTs overlap: they go out one after the other.
  private posts: Promise<unknown> = Promise.resolve();
  private readonly inflight = new Set<{ destroy(): void }>();

  private constructor(private readonly port: number, private readonly path: string, handshake: Handshake, pong: boolean) {
    super(handshake, pong);
    this.query = `${path}/?EIO=4&transport=polling&sid=${encodeURIComponent(handshake.sid)}`;
  }

  static async connect(port: number, opts: HostileOptions & { poll?: boolean } = {}): Promise<HostilePolling> {
    const path = opts.path ?? "/socket.io";
    const reply = await http(port, "GET", `${path}/?EIO=4&transport=polling`);
    if (reply.status !== 200 || reply.body[0] !== "0") throw new Error(`handshake failed: ${reply.status} ${reply.body.slice(0, 80)}`);
    const client = new HostilePolling(port, path, JSON.parse(reply.body.slice(1)) as Handshake, opts.pong ?? true);
    if (opts.poll ?? true) client.startPolling();
    return client;
  }

  /** Keeps one GET pending at a time, as a browser would. */
  startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    const loop = async (): Promise<void> => {
      while (this.polling && this.open) {
        let reply: HttpReply;
        try {
          reply = await http(this.port, "GET", this.query, undefined, this.inflight);
        } catch {
          return this.markClosed();
        }
        if (reply.status !== 200) return this.markClosed();
        for (const frame of reply.body.split("\x1e")) if (frame) this.onframe(frame);
      }
    };
    void loop();
  }

  stopPolling(): void {
    this.polling = false;
  }

  /** POSTs frames in one payload, after the POSTs before it; resolves with the HTTP status. */
  post(...frames: string[]): Promise<number> {
    const sent = this.posts.then(async () => {
      if (!this.open) return 0;
      try {
        const reply = await http(this.port, "POST", this.query, frames.join("\x1e"), this.inflight);
        // 400 means the session is gone; 413 (payload too large) drops the POST only.
        if (reply.status === 400) this.markClosed();
        return reply.status;
      } catch {
        this.markClosed();
        return 0;
      }
    });
    this.posts = sent;
    return sent;
  }

  sendRaw(...frames: string[]): void {
    void this.post(...frames);
  }

  sendBinary(data: Uint8Array): void {
    void this.post("b" + Buffer.from(data).toString("base64"));
  }

  close(): void {
    this.polling = false;
    if (this.open) void this.post("1").finally(() => this.destroy());
    else this.destroy();
  }

  /** Aborts every request in flight: nothing of this client is left to keep a process alive. */
  destroy(): void {
    this.polling = false;
    for (const req of this.inflight) req.destroy();
    this.inflight.clear();
    this.markClosed();
  }
}

export type Transport = "websocket" | "polling";

export function connectHostile(transport: Transport, port: number, opts: HostileOptions = {}): Promise<HostileClient & { join(nsp?: string, auth?: object): Promise<string> }> {
  return transport === "websocket" ? HostileWs.connect(port, opts) : HostilePolling.connect(port, opts);
}
