/**
 * One load-generator connection on a bare TCP socket: a pre-built HTTP upgrade request for the
 * Engine.IO v4 WebSocket transport, then just enough WebSocket framing to read the open packet,
 * send `40`, read the Socket.IO connect reply `40{"sid":...}` and answer pings. The `ws` client
 * costs about 0.7 of a socket.io server's CPU per connection (its handshake checks, its
 * receiver and sender objects, a SHA-1 of the accept key); on shared cores that cost squeezes
 * every connection-rate ratio toward 1. This one costs a fraction of it, so the rate measures
 * the servers.
 *
 * What it checks: the `101` status line, that frames are well formed, unfragmented and
 * unmasked, and that the first Engine.IO packet is `open` and the Socket.IO reply a connect
 * with a `sid`. What it does not: the `Sec-WebSocket-Accept` value (computing it is a SHA-1 per
 * connection, the very cost this client avoids).
 *
 * The framing helpers (key, request, client frames, `FrameReader`) are exported for the
 * polling-then-upgrade client (poll-client.ts).
 */
import { randomFillSync } from "node:crypto";
import { connect, type Socket } from "node:net";
import type { Tally } from "./tally.js";

export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
const OP_PONG = 0xa;

/** Random bytes for 64 `Sec-WebSocket-Key`s at a time. */
const keyPool = Buffer.alloc(16 * 64);
let keyAt = keyPool.length;

function webSocketKey(): string {
  if (keyAt === keyPool.length) {
    randomFillSync(keyPool);
    keyAt = 0;
  }
  keyAt += 16;
  return keyPool.toString("base64", keyAt - 16, keyAt);
}

/** The HTTP upgrade request for the WebSocket transport; `sid` upgrades an existing polling session. */
export function upgradeRequest(port: number, sid?: string): string {
  return (
    `GET /socket.io/?EIO=4&transport=websocket${sid === undefined ? "" : `&sid=${sid}`} HTTP/1.1\r\n` +
    `Host: 127.0.0.1:${port}\r\n` +
    "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" +
    `Sec-WebSocket-Key: ${webSocketKey()}\r\n\r\n`
  );
}

/**
 * A client text frame. Clients must mask; the key is 0 so the payload reads as it is, which
 * servers accept (they unmask with whatever key comes) and saves XOR-ing every frame.
 */
export function clientFrame(text: string, opcode = OP_TEXT): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error("net client: only short control and protocol frames are sent");
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

const CONNECT = clientFrame("40");
export const PONG = clientFrame("3");
const STATUS_101 = "HTTP/1.1 101 ";
const HEAD_END = Buffer.from("\r\n\r\n");

/** What a `FrameReader` reports to the client that owns the socket. */
export interface FrameHandlers {
  /** The `101` head has been read; frames follow. */
  onopen(): void;
  /** A text or binary frame (pings are answered and close frames reported by the client). */
  onframe(opcode: number, buf: Buffer, start: number, end: number): void;
  fail(err: Error): void;
}

/**
 * The inbound side of one client WebSocket: the HTTP response head (which must be `101`), then
 * whole frames, which must be unfragmented and unmasked. Pings are answered here; everything
 * else goes to the handlers. `name` prefixes the error messages.
 */
export class FrameReader {
  /** Bytes of an incomplete frame (or of the HTTP head), kept for the next chunk. */
  private rest: Buffer | undefined;
  private head = true;

  constructor(
    private readonly socket: Socket,
    private readonly name: string,
    private readonly handlers: FrameHandlers,
  ) {}

  push(chunk: Buffer): void {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = undefined;
    if (this.head) {
      const end = buf.indexOf(HEAD_END);
      if (end === -1) {
        this.rest = buf;
        return;
      }
      const status = buf.toString("latin1", 0, buf.indexOf("\r\n"));
      if (!status.startsWith(STATUS_101)) return this.handlers.fail(new Error(`${this.name}: upgrade refused: ${status}`));
      this.head = false;
      this.handlers.onopen();
      buf = buf.subarray(end + HEAD_END.length);
    }
    let at = 0;
    while (at < buf.length && !this.socket.destroyed) {
      const used = this.frame(buf, at);
      if (used === 0) break;
      at += used;
    }
    if (at < buf.length && !this.socket.destroyed) this.rest = buf.subarray(at);
  }

  /** Handles the frame at `at`; returns its length, or 0 if it has not fully arrived. */
  private frame(buf: Buffer, at: number): number {
    if (buf.length - at < 2) return 0;
    const b0 = buf[at]!;
    const b1 = buf[at + 1]!;
    if ((b0 & 0x80) === 0 || (b1 & 0x80) !== 0) {
      this.handlers.fail(new Error(`${this.name}: fragmented or masked server frame`));
      return buf.length - at;
    }
    let length = b1 & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (buf.length - at < 4) return 0;
      length = buf.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      if (buf.length - at < 10) return 0;
      length = buf.readUInt32BE(at + 2) * 2 ** 32 + buf.readUInt32BE(at + 6);
      start = at + 10;
    }
    if (buf.length - start < length) return 0;
    const opcode = b0 & 0x0f;
    if (opcode === OP_PING) this.socket.write(clientFrame(buf.toString("latin1", start, start + length), OP_PONG));
    else this.handlers.onframe(opcode, buf, start, start + length);
    return start + length - at;
  }
}

type Phase = "upgrade" | "open" | "connect" | "connected";

export class NetClient {
  private readonly socket: Socket;
  private readonly reader: FrameReader;
  private phase: Phase = "upgrade";
  private readonly tally: Tally;
  private settle: ((err?: Error) => void) | undefined;

  constructor(port: number, tally: Tally, settle: (err?: Error) => void) {
    this.tally = tally;
    this.settle = settle;
    this.socket = connect(port, "127.0.0.1");
    this.reader = new FrameReader(this.socket, "net client", {
      onopen: () => void (this.phase = "open"),
      onframe: (opcode, buf, start, end) => this.onframe(opcode, buf, start, end),
      fail: (err) => this.fail(err),
    });
    this.socket.setNoDelay(true);
    this.socket.write(upgradeRequest(port));
    this.socket.on("data", (chunk: Buffer) => this.reader.push(chunk));
    this.socket.on("error", (err) => this.fail(err));
    this.socket.on("close", () => this.fail(new Error(`net client: connection closed during ${this.phase}`)));
  }

  get connected(): boolean {
    return this.phase === "connected";
  }

  terminate(): void {
    this.settle = undefined;
    this.socket.destroy();
  }

  private fail(err: Error): void {
    const settle = this.settle;
    this.settle = undefined;
    this.socket.destroy();
    settle?.(err);
  }

  private onframe(opcode: number, buf: Buffer, start: number, end: number): void {
    if (opcode === OP_BINARY) {
      this.tally.binary++;
    } else if (opcode === OP_TEXT) {
      this.ontext(buf, start, end);
    } else if (opcode === OP_CLOSE) {
      this.fail(new Error(`net client: server closed the WebSocket during ${this.phase}`));
    }
  }

  private ontext(buf: Buffer, start: number, end: number): void {
    const c0 = buf[start];
    const c1 = buf[start + 1];
    if (this.phase === "connected") {
      if (c0 === 0x34 /* 4 message */ && (c1 === 0x32 /* 2 EVENT */ || c1 === 0x35) /* 5 BINARY_EVENT */) {
        this.tally.onText(buf.toString("utf8", start, end));
      } else if (c0 === 0x32 /* 2 ping */) {
        this.socket.write(PONG);
      }
    } else if (this.phase === "open") {
      if (c0 !== 0x30 /* 0 open */) return this.fail(new Error("net client: the first Engine.IO packet is not open"));
      this.phase = "connect";
      this.socket.write(CONNECT);
    } else if (this.phase === "connect") {
      if (c0 === 0x32) return void this.socket.write(PONG);
      const text = buf.toString("utf8", start, end);
      if (!text.startsWith('40{"sid":"')) return this.fail(new Error(`net client: no Socket.IO connect, got ${text.slice(0, 80)}`));
      this.phase = "connected";
      const settle = this.settle;
      this.settle = () => {};
      settle?.();
    }
  }
}

/** Opens one connection; resolves once the server has acknowledged the namespace connect. */
export function connectNet(port: number, tally: Tally, timeoutMs: number): Promise<NetClient> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.terminate();
      reject(new Error(`net client: no socket.io connect within ${timeoutMs} ms`));
    }, timeoutMs);
    const client: NetClient = new NetClient(port, tally, (err) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(client);
    });
  });
}
