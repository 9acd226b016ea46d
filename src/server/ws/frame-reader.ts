import { isUtf8 } from "node:buffer";
import { WebSocketError, isValidCloseCode } from "./protocol-error.js";

/** Where a FrameReader delivers what it reads; every call is synchronous, from `push`. */
export interface FrameSink {
  onMessage(data: string | Buffer, isBinary: boolean): void;
  onPing(payload: Buffer): void;
  onPong(payload: Buffer): void;
  /** A close frame: 1005 when it carried no code. Nothing more is read after it. */
  onCloseFrame(code: number, reason: Buffer): void;
  /** Nothing more is read after it either. */
  onProtocolError(error: WebSocketError): void;
}

const CONTINUATION = 0x0;
const TEXT = 0x1;
const BINARY = 0x2;
const CLOSE = 0x8;
const PING = 0x9;
const PONG = 0xa;
const EMPTY = Buffer.alloc(0);
/** Fragments of one message kept at most (ws's default): far more than any client sends. */
const MAX_FRAGMENTS = 16_384;
/**
 * Chunks of one unfinished frame kept apart at most; past it they are merged into one. A client
 * trickling a large frame a byte per TCP segment would otherwise cost a Buffer object (~100 bytes)
 * per byte; merged, the copying stays below what reading that many segments costs.
 */
const MAX_CHUNKS = 1024;

/**
 * Reads the frames a client sends (RFC 6455 §5), incrementally: chunks go in as the socket
 * delivers them, whole messages and control frames come out. Client frames must be masked;
 * no extension is negotiated here, so every RSV bit must be clear. A message larger than
 * `maxPayload` is refused from its frame header, before its payload is buffered.
 */
export class FrameReader {
  /** Received bytes not yet read; the first chunk is read from `offset`. */
  private chunks: Buffer[] = [];
  private offset = 0;
  private buffered = 0;
  /** The parts of a fragmented message, and its opcode, while it lasts. */
  private fragments: Buffer[] | undefined;
  private fragmentsLength = 0;
  private fragmentsOpcode = 0;
  private done = false;

  constructor(
    private readonly sink: FrameSink,
    private readonly maxPayload: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.done) return;
    // Nearly every chunk holds whole frames: a new one-slot list each time, as an emptied list
    // keeps the room it grew to (152 bytes per idle connection for `push` onto `[]`).
    if (this.buffered === 0) {
      this.chunks = [chunk];
      this.offset = 0;
    } else {
      this.chunks.push(chunk);
    }
    this.buffered += chunk.length;
    if (this.chunks.length > MAX_CHUNKS) this.contiguous(this.buffered);
    while (!this.done && this.readFrame());
  }

  /** Drops what is buffered and reads nothing more. */
  stop(): void {
    this.done = true;
    this.chunks = [];
    this.buffered = 0;
    this.fragments = undefined;
  }

  /** Reads one frame if all of it has arrived; false when more bytes are needed. */
  private readFrame(): boolean {
    if (this.buffered < 2) return false;
    let head = this.contiguous(2);
    const b0 = head[this.offset]!;
    const b1 = head[this.offset + 1]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    const fault = frameFault(b0, b1, this.fragments !== undefined);
    if (fault) return this.fail(fault);
    const size = b1 & 0x7f;
    const headerLength = 6 + (size === 126 ? 2 : size === 127 ? 8 : 0);
    if (this.buffered < headerLength) return false;
    head = this.contiguous(headerLength);
    const at = this.offset;
    let length = size;
    if (size === 126) {
      length = head.readUInt16BE(at + 2);
    } else if (size === 127) {
      const high = head.readUInt32BE(at + 2);
      // Past 2^53 - 1 a length is no longer an exact JavaScript number.
      if (high > 0x1fffff) {
        return this.fail(new WebSocketError("WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH", 1009, "Unsupported WebSocket frame: payload length > 2^53 - 1"));
      }
      length = high * 2 ** 32 + head.readUInt32BE(at + 6);
    }
    if (opcode < CLOSE && this.maxPayload > 0 && (opcode === CONTINUATION ? this.fragmentsLength : 0) + length > this.maxPayload) {
      return this.fail(new WebSocketError("WS_ERR_UNSUPPORTED_MESSAGE_LENGTH", 1009, "Max payload size exceeded"));
    }
    if (this.buffered < headerLength + length) return false;
    const maskAt = at + headerLength - 4;
    const m0 = head[maskAt]!, m1 = head[maskAt + 1]!, m2 = head[maskAt + 2]!, m3 = head[maskAt + 3]!;
    this.skip(headerLength);
    const payload = this.take(length);
    unmask(payload, m0, m1, m2, m3);
    if (opcode >= CLOSE) return this.control(opcode, payload);
    return this.data(fin, opcode, payload);
  }

  private data(fin: boolean, opcode: number, payload: Buffer): boolean {
    if (opcode !== CONTINUATION && fin) return this.message(opcode, payload);
    if (opcode !== CONTINUATION) {
      this.fragments = [payload];
      this.fragmentsLength = payload.length;
      this.fragmentsOpcode = opcode;
      return true;
    }
    // Empty fragments are not kept, and the others are counted: a client cannot grow a message's
    // bookkeeping past its byte limit with endless tiny frames.
    if (payload.length !== 0) {
      if (this.fragments!.length === MAX_FRAGMENTS) {
        return this.fail(new WebSocketError("WS_ERR_TOO_MANY_BUFFERED_PARTS", 1008, "Too many message fragments"));
      }
      this.fragments!.push(payload);
      this.fragmentsLength += payload.length;
    }
    if (!fin) return true;
    const whole = Buffer.concat(this.fragments!, this.fragmentsLength);
    this.fragments = undefined;
    this.fragmentsLength = 0;
    return this.message(this.fragmentsOpcode, whole);
  }

  private message(opcode: number, payload: Buffer): boolean {
    if (opcode === BINARY) {
      this.sink.onMessage(payload, true);
      return true;
    }
    if (!isUtf8(payload)) return this.fail(invalidUtf8());
    this.sink.onMessage(payload.toString(), false);
    return true;
  }

  private control(opcode: number, payload: Buffer): boolean {
    if (opcode === PING) this.sink.onPing(payload);
    else if (opcode === PONG) this.sink.onPong(payload);
    else return this.close(payload);
    return true;
  }

  // A one-byte close payload never gets here: `frameFault` refuses it from the header.
  private close(payload: Buffer): boolean {
    const code = payload.length === 0 ? 1005 : payload.readUInt16BE(0);
    if (payload.length !== 0 && !isValidCloseCode(code)) {
      return this.fail(new WebSocketError("WS_ERR_INVALID_CLOSE_CODE", 1002, `invalid status code ${code}`));
    }
    const reason = payload.length > 2 ? payload.subarray(2) : EMPTY;
    if (!isUtf8(reason)) return this.fail(invalidUtf8());
    this.stop();
    this.sink.onCloseFrame(code, reason);
    return false;
  }

  private fail(error: WebSocketError): false {
    this.stop();
    this.sink.onProtocolError(error);
    return false;
  }

  /** The first chunk, holding at least `n` unread bytes (merging chunks when a header straddles them). */
  private contiguous(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length - this.offset >= n) return first;
    const merged = Buffer.concat([first.subarray(this.offset), ...this.chunks.slice(1)]);
    this.chunks = [merged];
    this.offset = 0;
    return merged;
  }

  private skip(n: number): void {
    this.buffered -= n;
    this.offset += n;
    this.dropReadChunk();
  }

  /** The next `n` bytes: a view of the chunk they sit in, or one copy when they span chunks. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (n === 0) return EMPTY;
    if (first!.length - this.offset >= n) {
      const out = first!.subarray(this.offset, this.offset + n);
      this.offset += n;
      this.dropReadChunk();
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const copied = chunk.copy(out, filled, this.offset, Math.min(chunk.length, this.offset + n - filled));
      filled += copied;
      this.offset += copied;
      this.dropReadChunk();
    }
    return out;
  }

  private dropReadChunk(): void {
    if (this.chunks.length !== 0 && this.offset === this.chunks[0]!.length) {
      this.chunks.shift();
      this.offset = 0;
    }
  }
}

/** What is wrong with a frame, from its first two bytes alone; undefined if nothing. */
function frameFault(b0: number, b1: number, fragmenting: boolean): WebSocketError | undefined {
  // In ws's order, so a frame with several faults is reported as ws reports it.
  if ((b0 & 0x30) !== 0) return new WebSocketError("WS_ERR_UNEXPECTED_RSV_2_3", 1002, "RSV2 and RSV3 must be clear");
  if ((b0 & 0x40) !== 0) return new WebSocketError("WS_ERR_UNEXPECTED_RSV_1", 1002, "RSV1 must be clear");
  const opcode = b0 & 0x0f;
  const fin = (b0 & 0x80) !== 0;
  const size = b1 & 0x7f;
  if (opcode === CONTINUATION ? !fragmenting : opcode === TEXT || opcode === BINARY ? fragmenting : opcode < CLOSE || opcode > PONG) {
    return new WebSocketError("WS_ERR_INVALID_OPCODE", 1002, `invalid opcode ${opcode}`);
  }
  if (opcode >= CLOSE && !fin) return new WebSocketError("WS_ERR_EXPECTED_FIN", 1002, "FIN must be set");
  if (opcode >= CLOSE && (size > 125 || (opcode === CLOSE && size === 1))) {
    return new WebSocketError("WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH", 1002, `invalid payload length ${size}`);
  }
  if ((b1 & 0x80) === 0) return new WebSocketError("WS_ERR_EXPECTED_MASK", 1002, "MASK must be set");
  return undefined;
}

function invalidUtf8(): WebSocketError {
  return new WebSocketError("WS_ERR_INVALID_UTF8", 1007, "invalid UTF-8 sequence");
}

/** Unmasks a client payload in place (RFC 6455 §5.3). */
function unmask(payload: Buffer, m0: number, m1: number, m2: number, m3: number): void {
  const n = payload.length;
  const whole = n & ~3;
  let i = 0;
  for (; i < whole; i += 4) {
    payload[i] ^= m0;
    payload[i + 1] ^= m1;
    payload[i + 2] ^= m2;
    payload[i + 3] ^= m3;
  }
  if (i < n) payload[i] ^= m0;
  if (i + 1 < n) payload[i + 1] ^= m1;
  if (i + 2 < n) payload[i + 2] ^= m2;
}
