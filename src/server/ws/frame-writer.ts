/**
 * WebSocket framing (RFC 6455 §5.2) of what the server sends: unmasked, unfragmented frames,
 * header and payload in one buffer, so that one packet costs one allocation and one write.
 */

export const OPCODE_TEXT = 0x1;
export const OPCODE_BINARY = 0x2;
export const OPCODE_CLOSE = 0x8;
export const OPCODE_PING = 0x9;
export const OPCODE_PONG = 0xa;
const FIN = 0x80;
/** Engine.IO's "message" packet type, the prefix of every text frame it sends. */
const MESSAGE = 0x34;

/** Every encoded part of one packet, framed for WebSocket once, for all its recipients. */
export interface WireFrames {
  /** The frames back to back: one write per recipient. */
  readonly bytes: Buffer;
  /** Whether a part is binary: only a transport that takes binary frames may send it as is. */
  readonly binary: boolean;
}

/**
 * Frames every part of an encoded packet (header and binary attachments, each an Engine.IO
 * message of its own) into one buffer, as engine.io's websocket transport would frame them
 * one by one: text as "4" + string, binary as is. Undefined if a part is neither.
 */
export function wireFrames(encoded: readonly unknown[]): WireFrames | undefined {
  if (encoded.length === 1 && typeof encoded[0] === "string") return { bytes: textFrame(encoded[0]), binary: false };
  const chunks: Buffer[] = [];
  let binary = false;
  for (const part of encoded) {
    if (typeof part === "string") {
      chunks.push(textFrame(part));
      continue;
    }
    const bytes = toBuffer(part);
    if (!bytes) return undefined;
    binary = true;
    chunks.push(frameHeader(OPCODE_BINARY, bytes.length), bytes);
  }
  return { bytes: Buffer.concat(chunks), binary };
}

/** One text frame carrying the Engine.IO message "4" + `text`. */
export function textFrame(text: string): Buffer {
  return stringFrame(OPCODE_TEXT, text, MESSAGE);
}

/** One frame whose payload is `prefix` (a byte, if given) then `text` in UTF-8, in one buffer. */
export function stringFrame(opcode: number, text: string, prefix?: number): Buffer {
  const before = prefix === undefined ? 0 : 1;
  const length = Buffer.byteLength(text) + before;
  const offset = headerLength(length);
  const frame = Buffer.allocUnsafe(offset + length);
  writeHeader(frame, opcode, length);
  if (prefix !== undefined) frame[offset] = prefix;
  frame.write(text, offset + before);
  return frame;
}

/** One frame with a copy of `payload` behind its header, in one buffer (for small payloads). */
export function copiedFrame(opcode: number, payload: Buffer): Buffer {
  const offset = headerLength(payload.length);
  const frame = Buffer.allocUnsafe(offset + payload.length);
  writeHeader(frame, opcode, payload.length);
  payload.copy(frame, offset);
  return frame;
}

/** The header of one frame carrying `length` bytes, to be written before them. */
export function frameHeader(opcode: number, length: number): Buffer {
  const head = Buffer.allocUnsafe(headerLength(length));
  writeHeader(head, opcode, length);
  return head;
}

function headerLength(payload: number): number {
  if (payload < 126) return 2;
  return payload < 65536 ? 4 : 10;
}

function writeHeader(target: Buffer, opcode: number, payload: number): void {
  target[0] = FIN | opcode;
  if (payload < 126) {
    target[1] = payload;
  } else if (payload < 65536) {
    target[1] = 126;
    target.writeUInt16BE(payload, 2);
  } else {
    target[1] = 127;
    target.writeUInt32BE(Math.floor(payload / 2 ** 32), 2);
    target.writeUInt32BE(payload >>> 0, 6);
  }
}

export function toBuffer(part: unknown): Buffer | undefined {
  if (Buffer.isBuffer(part)) return part;
  if (part instanceof ArrayBuffer) return Buffer.from(part);
  if (ArrayBuffer.isView(part)) return Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  return undefined;
}
