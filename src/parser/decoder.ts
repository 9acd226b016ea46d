import { Emitter } from "@socket.io/component-emitter";
import { isBinary, reconstruct } from "./binary.js";
import { emitDecoded, packetOf } from "./decoded.js";
import { isDeeperThan } from "./depth.js";
import { ParserError, parserError } from "./errors.js";
import type { JSONTransform, Packet } from "./packet.js";
import { NEVER, REQUIRED, RULES } from "./rules.js";
import * as T from "./types.js";

export interface DecoderOptions {
  /** Passed to `JSON.parse` for every payload. */
  reviver?: JSONTransform;
  /**
   * The most binary attachments one packet may announce; a header that announces more is
   * refused before anything is buffered.
   * @default 10
   */
  maxAttachments?: number;
  /**
   * The most levels of arrays and objects a payload may nest. JSON.parse takes any depth, but
   * an app that relays a payload thousands of levels deep would overflow the stack in its own
   * emit (JSON.stringify, binary detection): refuse such packets here instead.
   * @default 1000
   */
  maxDepth?: number;
}

interface Limits {
  readonly reviver: JSONTransform | undefined;
  readonly maxAttachments: number;
  readonly maxDepth: number;
}

interface DecoderReservedEvents {
  decoded: (packet: Packet) => void;
}

const MAX_ACK_ID_DIGITS = 15; // below 2^53: every id stays an exact integer
const MAX_COUNT_DIGITS = 9;

/** A binary packet whose header has arrived and whose attachments are still coming. */
interface PendingBinary {
  packet: Packet;
  attachments: unknown[];
}

/**
 * Turns engine.io messages back into packets, emitting `decoded` for each whole packet.
 * Incremental: a binary packet's header and its attachments arrive as separate messages.
 * Strict: every malformed input makes `add()` throw a {@link ParserError}; the caller closes
 * the connection it came from.
 */
export class Decoder extends Emitter<{}, {}, DecoderReservedEvents> {
  private readonly _limits: Limits;
  private _pending: PendingBinary | null = null;

  constructor(opts?: DecoderOptions | JSONTransform) {
    super();
    const options = typeof opts === "function" ? { reviver: opts } : (opts ?? {});
    this._limits = { reviver: options.reviver, maxAttachments: options.maxAttachments ?? 10, maxDepth: options.maxDepth ?? 1000 };
  }

  /** Feeds one engine.io message: a packet string, or one binary attachment. */
  add(chunk: unknown): void {
    if (typeof chunk === "string") {
      if (this._pending) throw parserError("UNEXPECTED_STRING", "attachments due");
      const packet = decodeString(chunk, this._limits);
      if (packet.attachments === undefined) emitDecoded(this, packet);
      else this._pending = { packet, attachments: [] };
    } else if (isBinary(chunk)) {
      const pending = this._pending;
      if (!pending) throw parserError("UNEXPECTED_BINARY");
      if (pending.attachments.push(chunk) < pending.packet.attachments!) return;
      this._pending = null;
      emitDecoded(this, assemble(pending));
    } else {
      throw parserError("UNKNOWN_INPUT", chunk === null ? "null" : typeof chunk);
    }
  }

  /** Drops a half-received binary packet; the decoder can be reused afterwards. */
  destroy(): void {
    this._pending = null;
  }
}

function decodeString(str: string, limits: Limits): Packet {
  const type = str.charCodeAt(0) - 48; // NaN for "", so no rule
  const rule = RULES[type];
  if (!rule) throw parserError("UNKNOWN_PACKET_TYPE", JSON.stringify(str.charAt(0)));
  const attachments = type >= T.BINARY_EVENT ? readAttachmentCount(str, limits.maxAttachments) : undefined;
  // The count was checked to be digits then '-': the first dash ends it.
  let i = attachments === undefined ? 1 : str.indexOf("-") + 1;
  let nsp = "/";
  if (str.charCodeAt(i) === 47 /* / */) {
    // A namespace runs from '/' to the first ',' (or to the end of a packet without payload).
    const comma = str.indexOf(",", i);
    nsp = str.slice(i, comma === -1 ? str.length : comma);
    i = comma === -1 ? str.length : comma + 1;
  }
  const idEnd = digitsEnd(str, i);
  if (idEnd - i > MAX_ACK_ID_DIGITS) throw parserError("INVALID_ACK_ID", "over " + MAX_ACK_ID_DIGITS + " digits");
  const id = idEnd === i ? undefined : readDigits(str, i, idEnd);
  // A decoded id is digits, at most 15 of them: whether it may be there is all that is left.
  if (id === undefined ? rule._ackId === REQUIRED : rule._ackId === NEVER) {
    throw parserError("INVALID_ACK_ID", "type " + type + (id === undefined ? " needs one" : " cannot carry one"));
  }
  const data = idEnd < str.length ? parseJSON(str.slice(idEnd), limits) : undefined;
  if (!rule._payload(data)) throw parserError("INVALID_PAYLOAD", "type " + type);
  const packet = packetOf(type, nsp, id, data);
  if (attachments !== undefined) packet.attachments = attachments;
  return packet;
}

/** Reads the `<count>` of `<count>-`, with its dash checked. */
function readAttachmentCount(str: string, max: number): number {
  const end = digitsEnd(str, 1);
  const count = readDigits(str, 1, end);
  // No digits read as 0, which is no count either.
  if (end - 1 > MAX_COUNT_DIGITS || str.charCodeAt(end) !== 45 /* - */ || count < 1) throw parserError("ILLEGAL_ATTACHMENTS");
  if (count > max) throw parserError("TOO_MANY_ATTACHMENTS", count + " > " + max);
  return count;
}

function digitsEnd(str: string, i: number): number {
  for (let c = str.charCodeAt(i); c >= 48 && c <= 57; c = str.charCodeAt(++i));
  return i;
}

// Digits read arithmetically: no substring, no Number() for the id of every ack.
function readDigits(str: string, i: number, end: number): number {
  let n = 0;
  for (; i < end; i++) n = n * 10 + (str.charCodeAt(i) - 48);
  return n;
}

function parseJSON(json: string, { reviver, maxDepth }: Limits): unknown {
  let data: unknown;
  try {
    data = JSON.parse(json, reviver);
  } catch (cause) {
    throw parserError("INVALID_JSON", undefined, cause);
  }
  // Each level takes at least two characters, so short payloads (nearly all) skip the walk.
  if (json.length > 2 * maxDepth && isDeeperThan(data, maxDepth)) {
    throw parserError("INVALID_PAYLOAD", "nested over " + maxDepth + " levels");
  }
  return data;
}

function assemble({ packet, attachments }: PendingBinary): Packet {
  let data: unknown;
  try {
    data = reconstruct(packet.data, attachments);
  } catch (err) {
    if (err instanceof ParserError) throw err;
    // Only a payload nested deeper than the stack can make the walk itself fail.
    throw parserError("INVALID_PAYLOAD", "nested too deeply", err);
  }
  // A new object rather than `delete packet.attachments`, which would leave the packet in
  // V8's slow dictionary mode for everything downstream.
  // BINARY_EVENT and BINARY_ACK are EVENT and ACK plus 3.
  const whole: Packet = { type: packet.type - 3, nsp: packet.nsp };
  if (packet.id !== undefined) whole.id = packet.id;
  whole.data = data;
  return whole;
}
