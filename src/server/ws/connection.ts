import { EventEmitter } from "node:events";
import type { Socket as NetSocket } from "node:net";
import { FrameReader, type FrameSink } from "./frame-reader.js";
import { OPCODE_BINARY, OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG, OPCODE_TEXT, copiedFrame, frameHeader, stringFrame, toBuffer } from "./frame-writer.js";
import { isValidCloseCode, type WebSocketError } from "./protocol-error.js";

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const STATE_NAMES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"] as const;
/** How long a closing connection waits for the client's close frame and FIN before dropping it (ws's figure). */
const CLOSE_TIMEOUT_MS = 30_000;
/** Below this, a binary payload is copied behind its header: one write beats two. */
const COPY_BELOW = 1024;
const EMPTY = Buffer.alloc(0);
/** No extension is ever negotiated: permessage-deflate keeps the `ws` engine. */
const NO_EXTENSIONS: Readonly<Record<string, unknown>> = Object.freeze({});

/** The connection a TCP socket carries, for the socket listeners below (shared, so none is made per connection). */
const kConnection = Symbol("rtio.ws.connection");
type CarrierSocket = NetSocket & { [kConnection]?: WebSocketConnection };

/** Whether a WebSocket connection was already made on `socket` (a second upgrade of one socket is a bug in the caller). */
export function carriesConnection(socket: NetSocket): boolean {
  return (socket as CarrierSocket)[kConnection] !== undefined;
}

/** What rtio's engine.io transport takes from its connection, instead of listening to it. */
export interface ConnectionOwner {
  _message(data: string | Buffer): void;
  _error(error: Error): void;
  _closed(): void;
}

type SendCallback = (err?: Error | null) => void;
interface SendOptions {
  binary?: boolean;
  compress?: boolean;
  fin?: boolean;
  mask?: boolean;
}

/**
 * The server end of one WebSocket, with the part of `ws`'s WebSocket API that engine.io and
 * applications use: `send`, `close`, `terminate`, `ping`, `pong`, `readyState`,
 * `bufferedAmount`, and the `message`, `close`, `error`, `ping` and `pong` events with `ws`'s
 * arguments. It keeps one reader, one optional timer, and the TCP socket: no stream objects
 * of its own, which is most of what an idle `ws` connection holds.
 */
export class WebSocketConnection extends EventEmitter implements FrameSink {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;

  readyState: number = OPEN;
  readonly binaryType = "nodebuffer";
  readonly extensions = "";
  readonly _extensions = NO_EXTENSIONS;
  private readonly reader: FrameReader;
  private closeFrameSent = false;
  private closeFrameReceived = false;
  private closeCode = 1006;
  private closeReason: Buffer = EMPTY;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private errorEmitted = false;
  /** @internal rtio's engine.io transport, told directly of messages, errors and the close. */
  _owner: ConnectionOwner | undefined;

  constructor(
    readonly _socket: NetSocket,
    head: Buffer,
    maxPayload: number,
    readonly protocol = "",
  ) {
    super();
    this.reader = new FrameReader(this, maxPayload);
    const socket = _socket as CarrierSocket;
    socket[kConnection] = this;
    socket.setTimeout(0);
    socket.setNoDelay();
    if (head.length > 0) socket.unshift(head);
    socket.on("data", onSocketData);
    socket.on("end", onSocketEnd);
    socket.on("close", onSocketClose);
    socket.on("error", onSocketError);
  }

  /** engine.io writes pre-built frames through `socket._sender.sendFrame`, as `ws` has it. */
  get _sender(): this {
    return this;
  }

  /** Bytes written and not yet taken by the kernel. */
  get bufferedAmount(): number {
    return this._socket.writableLength;
  }

  send(data: unknown, options?: SendOptions | SendCallback, cb?: SendCallback): void {
    if (typeof options === "function") {
      cb = options;
      options = undefined;
    }
    if (typeof data === "number") data = String(data);
    if (this.readyState !== OPEN) return notOpen(this.readyState, cb);
    const binary = options?.binary ?? typeof data !== "string";
    const opcode = binary ? OPCODE_BINARY : OPCODE_TEXT;
    if (typeof data === "string") {
      this._socket.write(stringFrame(opcode, data), cb);
      return;
    }
    const payload = data === undefined ? EMPTY : toBuffer(data);
    if (payload === undefined) throw new TypeError("The data to send must be a string, a Buffer, an ArrayBuffer or a typed array");
    this.writeFrame(opcode, payload, cb);
  }

  /** Writes frames built elsewhere, as they are (engine.io's `wsPreEncodedFrame`, rtio's direct writes). */
  sendFrame(list: readonly Buffer[], cb?: SendCallback): void {
    const socket = this._socket;
    if (list.length === 1) {
      socket.write(list[0]!, cb);
      return;
    }
    socket.cork();
    for (let i = 0; i < list.length; i++) socket.write(list[i]!, i === list.length - 1 ? cb : undefined);
    socket.uncork();
  }

  ping(data?: unknown, _mask?: boolean, cb?: SendCallback): void {
    this.control(OPCODE_PING, data, cb);
  }

  pong(data?: unknown, _mask?: boolean, cb?: SendCallback): void {
    this.control(OPCODE_PONG, data, cb);
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2): sends a close frame, then ends the TCP
   * connection once the client's close frame has come back, or drops it after 30 s.
   */
  close(code?: number, reason?: string | Buffer): void {
    if (this.readyState === CLOSED) return;
    if (this.readyState === CLOSING) {
      if (this.closeFrameSent && this.closeFrameReceived) this._socket.end();
      return;
    }
    const payload = closePayload(code, reason);
    this.readyState = CLOSING;
    this.closeFrameSent = true;
    this.writeFrame(OPCODE_CLOSE, payload);
    if (this.closeFrameReceived) this._socket.end();
    const socket = this._socket;
    // Unref'd: the socket itself keeps the process alive for as long as it is open.
    this.closeTimer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
    this.closeTimer.unref?.();
  }

  /** Drops the connection at once, without a closing handshake. */
  terminate(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this._socket.destroy();
  }

  onMessage(data: string | Buffer, isBinary: boolean): void {
    this._owner?._message(data);
    // ws hands listeners every message as a Buffer; rtio's transport takes text as the string
    // the reader decoded, so a Buffer is made only for someone listening.
    if (this.listenerCount("message") !== 0) this.emit("message", typeof data === "string" ? Buffer.from(data) : data, isBinary);
  }

  onPing(payload: Buffer): void {
    // A pong answers every ping while open (RFC 6455 §5.5.2), as `ws` does by default.
    if (this.readyState === OPEN) this.writeFrame(OPCODE_PONG, payload);
    this.emit("ping", payload);
  }

  onPong(payload: Buffer): void {
    this.emit("pong", payload);
  }

  onCloseFrame(code: number, reason: Buffer): void {
    this.closeFrameReceived = true;
    this.closeCode = code;
    this.closeReason = reason;
    if (this.readyState === OPEN) this.close(code === 1005 ? undefined : code, reason);
    else this.close();
  }

  /** The client broke the protocol: close with the error's status, and report it once. */
  onProtocolError(error: WebSocketError): void {
    // The close event reports 1006, as ws's does: no close frame came back.
    if (this.readyState === OPEN) this.close(error.status);
    // Nothing sensible can follow a protocol error: stop waiting for the client's close frame.
    this._socket.end();
    if (this.errorEmitted) return;
    this.errorEmitted = true;
    this._owner?._error(error);
    if (this.listenerCount("error") > 0) this.emit("error", error);
  }

  /** @internal Bytes from the TCP socket. */
  _receive(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  /** @internal The TCP socket has closed: the WebSocket is closed. */
  _closed(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.reader.stop();
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this._owner?._closed();
    this.emit("close", this.closeCode, this.closeReason);
  }

  private control(opcode: number, data: unknown, cb: SendCallback | undefined): void {
    if (this.readyState !== OPEN) return notOpen(this.readyState, cb);
    const payload = data === undefined ? EMPTY : typeof data === "string" || typeof data === "number" ? Buffer.from(String(data)) : toBuffer(data);
    if (payload === undefined || payload.length > 125) throw new RangeError("The data size must not be greater than 125 bytes");
    this.writeFrame(opcode, payload, cb);
  }

  private writeFrame(opcode: number, payload: Buffer, cb?: SendCallback): void {
    if (payload.length < COPY_BELOW) this._socket.write(copiedFrame(opcode, payload), cb);
    else this.sendFrame([frameHeader(opcode, payload.length), payload], cb);
  }
}

function closePayload(code: number | undefined, reason: string | Buffer | undefined): Buffer {
  if (code === undefined) return EMPTY;
  if (typeof code !== "number" || !isValidCloseCode(code)) throw new TypeError("First argument must be a valid error code number");
  const text = reason === undefined ? EMPTY : typeof reason === "string" ? Buffer.from(reason) : reason;
  if (text.length > 123) throw new RangeError("The message must not be greater than 123 bytes");
  const payload = Buffer.allocUnsafe(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return payload;
}

function notOpen(state: number, cb: SendCallback | undefined): void {
  if (!cb) return;
  const error = new Error(`WebSocket is not open: readyState ${state} (${STATE_NAMES[state]})`);
  process.nextTick(cb, error);
}

function onSocketData(this: CarrierSocket, chunk: Buffer): void {
  this[kConnection]!._receive(chunk);
}

// The client half-closed without a close frame: finish our half too.
function onSocketEnd(this: CarrierSocket): void {
  const connection = this[kConnection]!;
  if (connection.readyState !== CLOSED) connection.readyState = CLOSING;
  this.end();
}

function onSocketClose(this: CarrierSocket): void {
  this[kConnection]!._closed();
}

// A reset or a write after the peer left: the socket is gone, which "close" reports. Errors
// of the transport are not WebSocket errors, so none is emitted (as with `ws`).
function onSocketError(this: CarrierSocket): void {
  const connection = this[kConnection]!;
  if (connection.readyState !== CLOSED) connection.readyState = CLOSING;
  this.destroy();
}
