import { Emitter } from "@socket.io/component-emitter";
import { isBinary, reconstruct } from "./binary.js";
import { ParserError } from "./errors.js";
import { PacketType, type JSONTransform, type Packet } from "./packet.js";
import { isAckIdAllowed, RULES, type TypeRule } from "./rules.js";

export interface DecoderOptions {
  /** Passed to `JSON.parse` for every payload. */
  reviver?: JSONTransform;
  /**
   * The most binary attachments one packet may announce; a header that announces more is
   * refused before anything is buffered.
   * @default 10
   */
  maxAttachments?: number;
}

interface DecoderReservedEvents {
  decoded: (packet: Packet) => void;
}

const DECODED_KEY = "$decoded";
const MAX_ACK_ID_DIGITS = 15; // below 2^53: every id stays an exact integer
const MAX_COUNT_DIGITS = 9;

/** A binary packet whose header has arrived and whose attachments are still coming. */
interface PendingBinary {
  packet: Packet;
  expected: number;
  attachments: unknown[];
}

/**
 * Turns engine.io messages back into packets, emitting `decoded` for each whole packet.
 * Incremental: a binary packet's header and its attachments arrive as separate messages.
 * Strict: every malformed input makes `add()` throw a {@link ParserError}; the caller closes
 * the connection it came from.
 */
export class Decoder extends Emitter<{}, {}, DecoderReservedEvents> {
  private readonly reviver: JSONTransform | undefined;
  private readonly maxAttachments: number;
  private pending: PendingBinary | null = null;

  constructor(opts?: DecoderOptions | JSONTransform) {
    super();
    const options = typeof opts === "function" ? { reviver: opts } : (opts ?? {});
    this.reviver = options.reviver;
    this.maxAttachments = options.maxAttachments ?? 10;
  }

  /** Feeds one engine.io message: a packet string, or one binary attachment. */
  add(chunk: unknown): void {
    if (typeof chunk === "string") {
      if (this.pending) {
        throw new ParserError("UNEXPECTED_STRING", "got a text packet while the attachments of a binary packet were still due");
      }
      this.addString(chunk);
    } else if (isBinary(chunk)) {
      this.addAttachment(chunk);
    } else {
      throw new ParserError("UNKNOWN_INPUT", `cannot decode a value of type ${describe(chunk)}: expected a string or binary data`);
    }
  }

  /** Drops a half-received binary packet; the decoder can be reused afterwards. */
  destroy(): void {
    this.pending = null;
  }

  private addString(str: string): void {
    const packet = this.decodeString(str);
    if (packet.attachments === undefined) {
      this.emitDecoded(packet);
    } else {
      this.pending = { packet, expected: packet.attachments, attachments: [] };
    }
  }

  private addAttachment(chunk: unknown): void {
    const pending = this.pending;
    if (!pending) {
      throw new ParserError("UNEXPECTED_BINARY", "got binary data while no binary packet was expecting attachments");
    }
    pending.attachments.push(chunk);
    if (pending.attachments.length < pending.expected) return;
    this.pending = null;
    this.emitDecoded(assemble(pending));
  }

  /**
   * `emitReserved("decoded", p)` builds "$decoded", an arguments array and a copy of the
   * listener list for every packet: on a small ack that is a tenth of the decoder's cost.
   * component-emitter (pinned ~3.1) keeps listeners in `_callbacks["$" + event]`; read that
   * with a constant key and call the listeners directly, in the same order and with the same
   * snapshot semantics.
   */
  private emitDecoded(packet: Packet): void {
    const listeners = (this as unknown as { _callbacks?: Record<string, Array<(p: Packet) => void>> })._callbacks?.[DECODED_KEY];
    if (listeners === undefined) return;
    if (listeners.length === 1) {
      listeners[0]!.call(this, packet);
      return;
    }
    for (const listener of listeners.slice()) listener.call(this, packet);
  }

  private decodeString(str: string): Packet {
    const type = str.charCodeAt(0) - 48; // NaN for "", so no rule
    const rule: TypeRule | undefined = RULES[type as PacketType];
    if (rule === undefined) {
      throw new ParserError("UNKNOWN_PACKET_TYPE", `unknown packet type ${JSON.stringify(str.charAt(0))}`);
    }
    const packet: Packet = { type, nsp: "/" };
    let i = rule.binary ? this.readAttachmentCount(str, packet) : 1;
    if (str.charCodeAt(i) === 47 /* / */) i = readNamespace(str, i, packet);
    i = readAckId(str, i, packet);
    if (!isAckIdAllowed(rule, packet.id)) {
      const why = packet.id === undefined ? "it needs an ack id" : "it cannot carry an ack id";
      throw new ParserError("INVALID_ACK_ID", `invalid packet of type ${PacketType[type]}: ${why}`);
    }
    const data = i < str.length ? this.parseJSON(str.slice(i)) : undefined;
    if (!rule.payload(data)) {
      throw new ParserError("INVALID_PAYLOAD", `invalid payload for ${PacketType[type]}: expected ${rule.expects}`);
    }
    if (data !== undefined) packet.data = data;
    return packet;
  }

  /** Reads `<count>-` into `packet.attachments`; returns the index after the dash. */
  private readAttachmentCount(str: string, packet: Packet): number {
    const end = skipDigits(str, 1);
    if (end === 1 || end - 1 > MAX_COUNT_DIGITS || str.charCodeAt(end) !== 45 /* - */) {
      throw new ParserError("ILLEGAL_ATTACHMENTS", "illegal attachments: a binary packet must start with its attachment count and '-'");
    }
    const count = Number(str.slice(1, end));
    if (count < 1) throw new ParserError("ILLEGAL_ATTACHMENTS", "illegal attachments: a binary packet needs at least one attachment");
    if (count > this.maxAttachments) {
      throw new ParserError("TOO_MANY_ATTACHMENTS", `too many attachments: ${count} announced, at most ${this.maxAttachments} allowed`);
    }
    packet.attachments = count;
    return end + 1;
  }

  private parseJSON(json: string): unknown {
    try {
      return JSON.parse(json, this.reviver);
    } catch (cause) {
      throw new ParserError("INVALID_JSON", "invalid payload: not valid JSON", { cause });
    }
  }
}

function skipDigits(str: string, i: number): number {
  while (i < str.length) {
    const c = str.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

// A namespace runs from '/' to the first ',' (or to the end of a packet without payload).
function readNamespace(str: string, i: number, packet: Packet): number {
  const comma = str.indexOf(",", i);
  if (comma === -1) {
    packet.nsp = str.slice(i);
    return str.length;
  }
  packet.nsp = str.slice(i, comma);
  return comma + 1;
}

// Digits read arithmetically: no substring, no Number() for the id of every ack.
function readAckId(str: string, i: number, packet: Packet): number {
  let id = 0;
  let end = i;
  for (let c = str.charCodeAt(end); c >= 48 && c <= 57; c = str.charCodeAt(++end)) id = id * 10 + (c - 48);
  if (end === i) return i;
  if (end - i > MAX_ACK_ID_DIGITS) {
    throw new ParserError("INVALID_ACK_ID", `invalid ack id: more than ${MAX_ACK_ID_DIGITS} digits`);
  }
  packet.id = id;
  return end;
}

function assemble(pending: PendingBinary): Packet {
  const { packet, attachments } = pending;
  let data: unknown;
  try {
    data = reconstruct(packet.data, attachments);
  } catch (err) {
    if (err instanceof ParserError) throw err;
    // Only a payload nested deeper than the stack can make the walk itself fail.
    throw new ParserError("INVALID_PAYLOAD", "invalid payload: nested too deeply", { cause: err });
  }
  // A new object rather than `delete packet.attachments`, which would leave the packet in
  // V8's slow dictionary mode for everything downstream.
  const type = packet.type === PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK;
  const whole: Packet = { type, nsp: packet.nsp };
  if (packet.id !== undefined) whole.id = packet.id;
  whole.data = data;
  return whole;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return Object.prototype.toString.call(value).slice(8, -1);
  return typeof value;
}
