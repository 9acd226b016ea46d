import { Emitter } from "@socket.io/component-emitter";
import { isBinary, reconstruct } from "./binary.js";
import { emitDecoded, packetOf } from "./decoded.js";
import { isDeeperThan } from "./depth.js";
import { readDigits } from "./digits.js";
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
  private readonly _reviver: JSONTransform | undefined;
  private readonly _maxAttachments: number;
  private readonly _maxDepth: number;
  private _pending: PendingBinary | undefined;

  constructor(opts?: DecoderOptions | JSONTransform) {
    super();
    if (typeof opts === "function") opts = { reviver: opts };
    this._reviver = opts?.reviver;
    this._maxAttachments = opts?.maxAttachments ?? 10;
    this._maxDepth = opts?.maxDepth ?? 1000;
  }

  /** Feeds one engine.io message: a packet string, or one binary attachment. */
  add(chunk: unknown): void {
    if (typeof chunk === "string") {
      if (this._pending) throw parserError("UNEXPECTED_STRING", "attachments due");
      const packet = this._decodeString(chunk);
      if (packet.attachments) this._pending = { packet, attachments: [] };
      else emitDecoded(this, packet);
    } else if (isBinary(chunk)) {
      const pending = this._pending;
      if (!pending) throw parserError("UNEXPECTED_BINARY");
      if (pending.attachments.push(chunk) < pending.packet.attachments!) return;
      this._pending = undefined;
      emitDecoded(this, assemble(pending));
    } else {
      throw parserError("UNKNOWN_INPUT", chunk === null ? "null" : typeof chunk);
    }
  }

  /** Drops a half-received binary packet; the decoder can be reused afterwards. */
  destroy(): void {
    this._pending = undefined;
  }

  private _decodeString(str: string): Packet {
    const type = str.charCodeAt(0) - 48; // NaN for "", so no rule
    const rule = RULES[type];
    if (!rule) throw parserError("UNKNOWN_PACKET_TYPE", JSON.stringify(str.charAt(0)));
    let i = 1;
    let attachments = 0;
    if (type >= T.BINARY_EVENT) {
      // `<count>-`: digits, then the dash that ends them.
      i = digitsEnd(str, 1);
      attachments = readDigits(str, 1, i);
      // No digits read as 0, which is no count either.
      if (i - 1 > MAX_COUNT_DIGITS || str.charCodeAt(i++) !== 45 /* - */ || attachments < 1) throw parserError("ILLEGAL_ATTACHMENTS");
      const max = this._maxAttachments;
      if (attachments > max) throw parserError("TOO_MANY_ATTACHMENTS", attachments + " > " + max);
    }
    let nsp = "/";
    if (str.charCodeAt(i) === 47 /* / */) {
      // A namespace runs from '/' to the first ',' (or to the end of a packet without payload).
      // Without a comma, i goes past the end: no id and no payload are read there.
      let comma = str.indexOf(",", i);
      if (comma < 0) comma = str.length;
      nsp = str.slice(i, comma);
      i = comma + 1;
    }
    const idEnd = digitsEnd(str, i);
    if (idEnd - i > MAX_ACK_ID_DIGITS) throw parserError("INVALID_ACK_ID", "over " + MAX_ACK_ID_DIGITS + " digits");
    const id = idEnd === i ? undefined : readDigits(str, i, idEnd);
    // A decoded id is digits, at most 15 of them: whether it may be there is all that is left.
    if (id === undefined ? rule._ackId === REQUIRED : rule._ackId === NEVER) {
      throw parserError("INVALID_ACK_ID", "type " + type + (id === undefined ? " needs one" : " cannot carry one"));
    }
    let data: unknown;
    if (idEnd < str.length) {
      const json = str.slice(idEnd);
      try {
        data = JSON.parse(json, this._reviver);
      } catch (cause) {
        throw parserError("INVALID_JSON", undefined, cause);
      }
      // Each level takes at least two characters, so short payloads (nearly all) skip the walk.
      const maxDepth = this._maxDepth;
      if (json.length > 2 * maxDepth && isDeeperThan(data, maxDepth)) {
        throw parserError("INVALID_PAYLOAD", "nested over " + maxDepth + " levels");
      }
    }
    if (!rule._payload(data)) throw parserError("INVALID_PAYLOAD", "type " + type);
    const packet = packetOf(type, nsp, id, data);
    if (attachments) packet.attachments = attachments;
    return packet;
  }
}

function digitsEnd(str: string, i: number): number {
  for (let c = str.charCodeAt(i); c >= 48 && c <= 57; c = str.charCodeAt(++i));
  return i;
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
  return packetOf(packet.type - 3, packet.nsp, packet.id, data);
}
