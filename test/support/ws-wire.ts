// WebSocket bytes for tests that speak RFC 6455 directly: client frames built byte by byte
// (masked or not, any header bits, any length form), a sink that records what a FrameReader
// delivers, a parser for the unmasked frames a server writes, and a raw TCP upgrade.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import type { FrameSink } from "../../src/server/ws/frame-reader.js";
import type { WebSocketError } from "../../src/server/ws/protocol-error.js";

export const OP = { CONT: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

export interface FrameOptions {
  /** @default true */
  fin?: boolean;
  /** The RSV1-3 bits as they sit in the first byte (0x40, 0x20, 0x10). @default 0 */
  rsv?: number;
  /** @default true: clients must mask */
  mask?: boolean;
  /** @default [0x37, 0xfa, 0x21, 0x3d] (RFC 6455 §5.7's sample key) */
  maskKey?: readonly [number, number, number, number];
  /** Forces a length form even where a shorter one fits. */
  lengthForm?: "7" | "16" | "64";
  /** The declared length, when it must differ from the payload's (headers whose payload never comes). */
  declaredLength?: number;
}

const SAMPLE_KEY = [0x37, 0xfa, 0x21, 0x3d] as const;

/** One client frame: header, mask key and masked payload, in one buffer. */
export function clientFrame(opcode: number, payload: Buffer | string = Buffer.alloc(0), opts: FrameOptions = {}): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  const masked = opts.mask ?? true;
  const key = opts.maskKey ?? SAMPLE_KEY;
  const head = frameHead(opcode, opts.declaredLength ?? data.length, opts.fin ?? true, opts.rsv ?? 0, masked, opts.lengthForm);
  if (!masked) return Buffer.concat([head, data]);
  const body = Buffer.from(data);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([head, Buffer.from(key), body]);
}

function frameHead(opcode: number, length: number, fin: boolean, rsv: number, masked: boolean, form?: "7" | "16" | "64"): Buffer {
  const chosen = form ?? (length < 126 ? "7" : length < 65536 ? "16" : "64");
  const b0 = (fin ? 0x80 : 0) | rsv | opcode;
  const m = masked ? 0x80 : 0;
  if (chosen === "7") return Buffer.from([b0, m | length]);
  if (chosen === "16") {
    const head = Buffer.alloc(4);
    head[0] = b0;
    head[1] = m | 126;
    head.writeUInt16BE(length, 2);
    return head;
  }
  const head = Buffer.alloc(10);
  head[0] = b0;
  head[1] = m | 127;
  head.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  head.writeUInt32BE(length >>> 0, 6);
  return head;
}

/** A close frame's payload: the code, then the reason. */
export function closeBody(code: number, reason: Buffer | string = ""): Buffer {
  const text = typeof reason === "string" ? Buffer.from(reason) : reason;
  const body = Buffer.alloc(2 + text.length);
  body.writeUInt16BE(code, 0);
  text.copy(body, 2);
  return body;
}

export type SinkEvent =
  | { kind: "message"; data: string | Buffer; isBinary: boolean }
  | { kind: "ping"; payload: Buffer }
  | { kind: "pong"; payload: Buffer }
  | { kind: "close"; code: number; reason: Buffer }
  | { kind: "error"; code: string; status: number; message: string; error: WebSocketError };

/** A FrameSink that records every call in order; payloads are copied, as a reader may reuse nothing after it returns. */
export class RecordingSink implements FrameSink {
  readonly events: SinkEvent[] = [];
  onMessage(data: string | Buffer, isBinary: boolean): void {
    this.events.push({ kind: "message", data: typeof data === "string" ? data : Buffer.from(data), isBinary });
  }
  onPing(payload: Buffer): void {
    this.events.push({ kind: "ping", payload: Buffer.from(payload) });
  }
  onPong(payload: Buffer): void {
    this.events.push({ kind: "pong", payload: Buffer.from(payload) });
  }
  onCloseFrame(code: number, reason: Buffer): void {
    this.events.push({ kind: "close", code, reason: Buffer.from(reason) });
  }
  onProtocolError(error: WebSocketError): void {
    this.events.push({ kind: "error", code: error.code, status: error.status, message: error.message, error });
  }
}

export interface ServerFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  payload: Buffer;
}

/** Splits the bytes a server wrote into frames; `rest` is an incomplete tail. */
export function parseServerFrames(bytes: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < 2) break;
    const b0 = bytes[at]!;
    const b1 = bytes[at + 1]!;
    let length = b1 & 0x7f;
    let head = 2;
    if (length === 126) {
      if (bytes.length - at < 4) break;
      length = bytes.readUInt16BE(at + 2);
      head = 4;
    } else if (length === 127) {
      if (bytes.length - at < 10) break;
      length = bytes.readUInt32BE(at + 2) * 2 ** 32 + bytes.readUInt32BE(at + 6);
      head = 10;
    }
    const masked = (b1 & 0x80) !== 0;
    if (masked) head += 4;
    if (bytes.length - at < head + length) break;
    frames.push({ fin: (b0 & 0x80) !== 0, rsv: b0 & 0x70, opcode: b0 & 0x0f, masked, payload: bytes.subarray(at + head, at + head + length) });
    at += head + length;
  }
  return { frames, rest: bytes.subarray(at) };
}

/** A client key in the form RFC 6455 §4.1 asks for. */
export const SAMPLE_WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** The headers of a valid Engine.IO WebSocket upgrade; tests override or delete entries. */
export function upgradeHeaders(port: number): Record<string, string> {
  return {
    Host: `127.0.0.1:${port}`,
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": SAMPLE_WS_KEY,
    "Sec-WebSocket-Version": "13",
  };
}

export interface RawResponse {
  socket: Socket;
  status: number;
  headers: Record<string, string>;
  /** Bytes after the response head: the body of a refusal, or the first frames. */
  rest: Buffer;
  /** Resolves with everything received after the head, once the server has closed the connection. */
  ended: Promise<Buffer>;
}

/**
 * Sends an HTTP request on a fresh TCP connection and resolves once the response head has
 * arrived; a header whose value is undefined is left out.
 */
export async function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string | undefined>,
  method = "GET",
  /** Bytes sent in the same write, right after the request (frames in the upgrade's head). */
  after: Buffer = Buffer.alloc(0),
): Promise<RawResponse> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  const lines = [`${method} ${path} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) lines.push(`${name}: ${value}`);
  socket.write(Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n"), after]));
  const received: Buffer[] = [];
  const ended = new Promise<Buffer>((resolve) => {
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(Buffer.concat(received)));
  });
  const head = await new Promise<Buffer>((resolve, reject) => {
    const check = (): void => {
      const all = Buffer.concat(received);
      if (all.indexOf("\r\n\r\n") !== -1) {
        socket.off("data", check);
        resolve(all);
      }
    };
    socket.on("data", check);
    socket.once("close", () => reject(new Error("closed before a response head")));
  });
  const end = head.indexOf("\r\n\r\n");
  const [statusLine, ...headerLines] = head.subarray(0, end).toString("latin1").split("\r\n");
  const parsed: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine!.split(" ")[1]);
  const afterHead = end + 4;
  return {
    socket,
    status,
    headers: parsed,
    rest: head.subarray(afterHead),
    ended: ended.then((all) => all.subarray(afterHead)),
  };
}

/**
 * The frames a server sends on a raw upgraded socket, as they arrive; `until` waits (on data
 * events, never on time) for a condition on what has arrived so far.
 */
export class FrameCollector {
  readonly frames: ServerFrame[] = [];
  /** Whether the server has ended its half of the TCP connection. */
  ended = false;
  private pending: Buffer = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly socket: Socket,
    first: Buffer,
  ) {
    this.add(first);
    socket.on("data", (chunk: Buffer) => this.add(chunk));
    socket.on("end", () => this.wake(() => (this.ended = true)));
    socket.on("close", () => this.wake(() => (this.ended = true)));
  }

  /** Resolves with the frames once `condition` holds; rejects if the socket closes first. */
  until(condition: (frames: readonly ServerFrame[], ended: boolean) => boolean, what = "a condition"): Promise<ServerFrame[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition(this.frames, this.ended)) {
          this.waiters.delete(check);
          resolve(this.frames);
        } else if (this.socket.destroyed) {
          this.waiters.delete(check);
          reject(new Error(`the socket closed before ${what}; frames: ${JSON.stringify(this.frames.map(describeFrame))}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the next text frame whose payload starts with `prefix`, after `from` frames. */
  async text(prefix: string, from = 0): Promise<string> {
    const match = (f: ServerFrame): boolean => f.opcode === OP.TEXT && f.payload.toString().startsWith(prefix);
    await this.until((frames) => frames.slice(from).some(match), `a text frame starting with ${prefix}`);
    return this.frames.slice(from).find(match)!.payload.toString();
  }

  send(frame: Buffer): void {
    this.socket.write(frame);
  }

  private add(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const { frames, rest } = parseServerFrames(this.pending);
    this.pending = rest;
    this.wake(() => this.frames.push(...frames));
  }

  private wake(change: () => void): void {
    change();
    for (const check of [...this.waiters]) check();
  }
}

export function describeFrame(frame: ServerFrame): string {
  const text = frame.opcode === OP.CLOSE && frame.payload.length >= 2 ? `${frame.payload.readUInt16BE(0)} ${frame.payload.subarray(2).toString()}` : frame.payload.toString("latin1").slice(0, 40);
  return `op${frame.opcode}${frame.fin ? "" : " (no FIN)"}: ${text}`;
}
