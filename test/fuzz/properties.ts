// The decoder's fuzz properties, shared by the bounded run in `npm test`
// (test/unit/fuzz-decoder.test.ts) and the long runs of `npm run fuzz` (test/fuzz/run.ts).
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { Decoder, Encoder, isParserError, PacketType, type Packet } from "../../src/parser/index.js";
import { anyMessages, mutatedMessages, randomMessages, validMessages, validPacket } from "./inputs.js";
import { comparable, looksPolluted, prototypeSnapshot, verdict, type Message } from "./verdict.js";

/** Why an input failed, or undefined when it passed. */
export function checkInput(messages: readonly Message[]): string | undefined {
  const before = prototypeSnapshot();
  const first = verdict(messages);
  if (first.crash) return `exception escaped: ${first.crash}`;
  if (first.invalid) return `decoded an invalid packet: ${first.invalid}`;
  if (prototypeSnapshot() !== before || looksPolluted()) return "a built-in prototype was polluted";
  const second = verdict(messages);
  if (!isDeepStrictEqual(first, second)) return `verdict not deterministic: ${JSON.stringify(first).slice(0, 200)} vs ${JSON.stringify(second).slice(0, 200)}`;
  return undefined;
}

/** Attachments a decoder takes by default (socket.io-parser 4.2.7 has the same limit). */
const MAX_ATTACHMENTS = 10;

/**
 * decode(encode(p)) gives p back, binary packets coming out as EVENT/ACK; a packet with more
 * attachments than the default limit is refused with TOO_MANY_ATTACHMENTS instead.
 */
export function checkRoundTrip(packet: Packet): string | undefined {
  const encoded = new Encoder().encode(packet);
  const decoded: Packet[] = [];
  const decoder = new Decoder();
  decoder.on("decoded", (p: Packet) => decoded.push(p));
  const overLimit = encoded.length - 1 > MAX_ATTACHMENTS;
  try {
    for (const m of encoded) decoder.add(m);
  } catch (err) {
    if (overLimit && isParserError(err) && err.code === "TOO_MANY_ATTACHMENTS") return undefined;
    return `a valid packet was refused: ${(err as Error).message}`;
  }
  if (overLimit) return `${encoded.length - 1} attachments were accepted, over the limit of ${MAX_ATTACHMENTS}`;
  if (decoded.length !== 1) return `expected one packet, got ${decoded.length}`;
  // JSON drops what it cannot carry (undefined, -0, ...): compare against what JSON keeps.
  const expected = comparable(JSON.parse(JSON.stringify({ ...packet, data: stripBinary(packet.data) })));
  const actual = comparable(JSON.parse(JSON.stringify({ ...decoded[0], data: stripBinary(decoded[0]!.data) })));
  const plainType = packet.type === PacketType.BINARY_EVENT ? PacketType.EVENT : packet.type === PacketType.BINARY_ACK ? PacketType.ACK : packet.type;
  (expected as Record<string, unknown>).type = plainType;
  if (!isDeepStrictEqual(expected, actual)) return `round trip changed the packet: ${JSON.stringify(actual).slice(0, 200)}`;
  if (!isDeepStrictEqual(binaries(packet.data), binaries(decoded[0]!.data))) return "round trip changed the attachments";
  return undefined;
}

function hasPlaceholderShape(value: unknown): boolean {
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return false;
  if ((value as { _placeholder?: unknown })._placeholder === true) return true;
  return Object.keys(value).some((k) => hasPlaceholderShape((value as Record<string, unknown>)[k]));
}

function stripBinary(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { $bin: true };
  if (Array.isArray(value)) return value.map(stripBinary);
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(value)) copy[k] = stripBinary((value as Record<string, unknown>)[k]);
    return copy;
  }
  return value;
}

function binaries(value: unknown, out: string[] = []): string[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString("hex"));
  else if (Array.isArray(value)) value.forEach((v) => binaries(v, out));
  else if (typeof value === "object" && value !== null) Object.keys(value).forEach((k) => binaries((value as Record<string, unknown>)[k], out));
  return out;
}

export interface FuzzProperty {
  name: string;
  property: fc.IProperty<any>;
}

/** Every decoder property, each over its own input family. */
export const DECODER_PROPERTIES: FuzzProperty[] = [
  // App data shaped like a placeholder ({_placeholder: true}) inside a binary packet is
  // ambiguous in the protocol itself (socket.io-parser reads it the same way): left out.
  { name: "valid packets round-trip", property: fc.property(validPacket.filter((p) => !hasPlaceholderShape(p.data)), (p) => assertOk(checkRoundTrip(p))) },
  { name: "valid packets: no escape, no pollution, deterministic", property: fc.property(validMessages, (m) => assertOk(checkInput(m))) },
  { name: "mutated packets: no escape, no pollution, deterministic", property: fc.property(mutatedMessages, (m) => assertOk(checkInput(m))) },
  { name: "random input: no escape, no pollution, deterministic", property: fc.property(randomMessages, (m) => assertOk(checkInput(m))) },
];

function assertOk(failure: string | undefined): void {
  if (failure !== undefined) throw new Error(failure);
}

export interface FuzzOutcome {
  name: string;
  cases: number;
  failed: boolean;
  seed: number;
  counterexample?: string;
  error?: string;
}

/** Runs one property for `numRuns` cases; reports instead of throwing. */
export function runProperty(p: FuzzProperty, numRuns: number, seed: number): FuzzOutcome {
  const details = fc.check(p.property, { numRuns, seed, endOnFailure: false });
  const outcome: FuzzOutcome = { name: p.name, cases: details.numRuns, failed: details.failed, seed };
  if (details.failed) {
    outcome.counterexample = describeCounterexample(details.counterexample);
    outcome.error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  }
  return outcome;
}

function describeCounterexample(value: unknown): string {
  try {
    return JSON.stringify(comparable(value)).slice(0, 400);
  } catch {
    return String(value).slice(0, 400);
  }
}

export { anyMessages };
