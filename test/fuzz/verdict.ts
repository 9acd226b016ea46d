// What the decoder makes of a sequence of engine.io messages: the packets it emitted and the
// error that stopped it. A "crash" is anything else escaping `add()`: a TypeError, a
// RangeError, an error without the codec's `code`; the fuzzers count those as failures.
import { Decoder, isPacketValid, isParserError, PacketType, type Packet } from "../../src/parser/index.js";

/** One engine.io message as the server would hand it to a decoder: text or bytes (or junk). */
export type Message = string | Uint8Array | unknown;

export interface Verdict {
  /** The packets emitted, in a comparable form (binary as `{ $bin: hex }`). */
  packets: unknown[];
  /** The ParserError code that stopped decoding, if any. */
  error?: string;
  /** A non-codec exception: a bug. */
  crash?: string;
  /** A decoded packet that `isPacketValid` refuses: a bug too. */
  invalid?: string;
}

/** Feeds `messages` to a fresh decoder and reports what came out. */
export function verdict(messages: readonly Message[], maxAttachments = 10): Verdict {
  const decoder = new Decoder({ maxAttachments });
  const out: Verdict = { packets: [] };
  decoder.on("decoded", (packet: Packet) => {
    // The decoder gives binary packets back as EVENT/ACK: check them under the plain rule.
    if (!isPacketValid(packet) && out.invalid === undefined) out.invalid = safeJson(comparable(packet));
    out.packets.push(comparable(packet));
  });
  try {
    for (const message of messages) decoder.add(message);
  } catch (err) {
    if (isParserError(err)) out.error = err.code;
    else out.crash = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } finally {
    decoder.destroy();
  }
  return out;
}

/** A deep copy where binary becomes `{ $bin: hex }`, so two verdicts can be deep-compared. */
export function comparable(value: unknown, depth = 0): unknown {
  if (depth > 2_000) return "$deep";
  if (value instanceof Uint8Array) return { $bin: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex") };
  if (value instanceof ArrayBuffer) return { $bin: Buffer.from(value).toString("hex") };
  if (Array.isArray(value)) return value.map((v) => comparable(v, depth + 1));
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value)) copy[key] = comparable((value as Record<string, unknown>)[key], depth + 1);
    return copy;
  }
  return value;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 200);
  } catch {
    return "(unprintable)";
  }
}

/** The packet types whose rule a decoded packet is checked against, for reports. */
export const TYPE_NAMES = PacketType;

const WATCHED: Array<[string, object]> = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
  ["Number.prototype", Number.prototype],
];

/** The own keys of the built-in prototypes, to detect pollution. */
export function prototypeSnapshot(): string {
  return WATCHED.map(([name, proto]) => `${name}:${Reflect.ownKeys(proto).map(String).sort().join(",")}`).join("|");
}

/** Whether a plain object or array has picked up a key from a polluted prototype. */
export function looksPolluted(): boolean {
  const probe: Record<string, unknown> = {};
  const arr: unknown[] = [];
  for (const key of ["polluted", "isAdmin", "x", "_placeholder", "num"]) {
    if (probe[key] !== undefined || (arr as unknown as Record<string, unknown>)[key] !== undefined) return true;
  }
  return false;
}
