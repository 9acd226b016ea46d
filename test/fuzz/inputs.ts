// fast-check generators for what a peer can send: valid packets (encoded by our Encoder),
// the same packets mutated in hostile ways, and plain random input.
import fc from "fast-check";
import { Encoder, PacketType, type Packet } from "../../src/parser/index.js";
import type { Message } from "./verdict.js";

const encoder = new Encoder();

/** Pieces that target known weak spots: prototype keys, placeholders, reserved names, depth. */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"__proto__":{"_placeholder":true,"num":0}}',
  '{"_placeholder":true,"num":0}',
  '{"_placeholder":true,"num":-1}',
  '{"_placeholder":true,"num":1e9}',
  '{"_placeholder":true,"num":"0"}',
  '{"_placeholder":true,"num":0.5}',
  '{"_placeholder":true}',
  '["__proto__"]',
  '["constructor"]',
  '["toString"]',
  '["hasOwnProperty"]',
  '["disconnect"]',
  '["connect"]',
  '["error"]',
  '["newListener"]',
  '[null]',
  '[{}]',
  '[1e400]',
  '"\\ud800"',
  "[".repeat(5_000) + "]".repeat(5_000),
  "[".repeat(5_000),
  '{"a":'.repeat(2_000) + "1" + "}".repeat(2_000),
  "/",
  ",",
  "-",
  "999999999999999999",
  "9".repeat(16),
  "\u0000",
  "\uffff",
];

const jsonLeaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));

/** Payload values, binary included, with the awkward keys mixed in. */
const payloadValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    jsonLeaf,
    fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "constructor", "prototype", "_placeholder", "num")), tie("value"), { maxKeys: 4 }),
  ),
})).value;

const eventName = fc.oneof(fc.string({ maxLength: 10 }), fc.integer({ min: 0, max: 1_000 }));
const nsp = fc.oneof(fc.constant("/"), fc.constant("/admin"), fc.string({ maxLength: 8 }).map((s) => "/" + s.replace(/,/g, "")));
const ackId = fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined });

/** A packet the protocol allows, before encoding. */
export const validPacket: fc.Arbitrary<Packet> = fc.oneof(
  fc.record({ type: fc.constant(PacketType.CONNECT), nsp, data: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), jsonLeaf, { maxKeys: 3 }), { nil: undefined }) }),
  fc.record({ type: fc.constant(PacketType.DISCONNECT), nsp }),
  fc.record({ type: fc.constant(PacketType.EVENT), nsp, id: ackId, data: fc.tuple(eventName, fc.array(payloadValue, { maxLength: 4 })).map(([n, rest]) => [n, ...rest]) }),
  fc.record({ type: fc.constant(PacketType.ACK), nsp, id: fc.integer({ min: 0, max: 2 ** 40 }), data: fc.array(payloadValue, { maxLength: 4 }) }),
  fc.record({ type: fc.constant(PacketType.CONNECT_ERROR), nsp, data: fc.oneof(fc.string({ maxLength: 10 }), fc.record({ message: fc.string({ maxLength: 10 }) })) }),
).map((p) => {
  const packet = { ...p } as Packet;
  if (packet.id === undefined) delete packet.id;
  if (packet.data === undefined) delete packet.data;
  // Reserved names cannot be encoded as events: pick one the rules accept.
  if (packet.type === PacketType.EVENT && typeof packet.data[0] === "string" && ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"].includes(packet.data[0])) {
    packet.data[0] = "ev";
  }
  return packet;
});

/** A valid packet as the engine.io messages it travels in. */
export const validMessages: fc.Arbitrary<Message[]> = validPacket.map((p) => encoder.encode(p) as Message[]);

type Mutation = (msgs: Message[]) => Message[];

function mapHeader(msgs: Message[], f: (header: string) => string): Message[] {
  const [head, ...rest] = msgs;
  return typeof head === "string" ? [f(head), ...rest] : msgs;
}

/** One hostile edit of an encoded packet. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.string({ maxLength: 4 })).map(([at, s]): Mutation => (m) => mapHeader(m, (h) => h.slice(0, at % (h.length + 1)) + s + h.slice(at % (h.length + 1)))),
  fc.tuple(fc.nat(), fc.nat({ max: 6 })).map(([at, n]): Mutation => (m) => mapHeader(m, (h) => h.slice(0, at % (h.length + 1)) + h.slice((at % (h.length + 1)) + n))),
  fc.nat().map((at): Mutation => (m) => mapHeader(m, (h) => h.slice(0, at % (h.length + 1)))),
  fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE_FRAGMENTS)).map(([at, s]): Mutation => (m) => mapHeader(m, (h) => h.slice(0, at % (h.length + 1)) + s + h.slice(at % (h.length + 1)))),
  fc.constantFrom(...HOSTILE_FRAGMENTS).map((s): Mutation => (m) => mapHeader(m, (h) => h.slice(0, 1) + s)),
  fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "7", "9", "a", "51-", "52-", "50-", "5999999999-").map((t): Mutation => (m) => mapHeader(m, (h) => t + h.slice(1))),
  fc.uint8Array({ maxLength: 8 }).map((b): Mutation => (m) => [...m, Buffer.from(b)]),
  fc.constant<Mutation>((m) => m.slice(0, -1)),
  fc.constant<Mutation>((m) => [...m].reverse()),
  fc.constant<Mutation>((m) => [...m, ...m]),
  fc.constantFrom<unknown>(null, undefined, 42, {}, [], true, new ArrayBuffer(2), new Uint16Array(1)).map((junk): Mutation => (m) => [...m, junk]),
);

/** A valid packet, then one to three hostile edits. */
export const mutatedMessages: fc.Arbitrary<Message[]> = fc
  .tuple(validMessages, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([msgs, edits]) => edits.reduce((acc, edit) => edit(acc), msgs));

/** A packet-shaped string built from protocol pieces in random order. */
const pieceString = fc
  .array(fc.oneof(fc.constantFrom("0", "1", "2", "3", "4", "5", "6", "-", "/", ",", "[", "]", "{", "}", '"', ":", "1-", "/admin,", '"ev"', "null"), fc.constantFrom(...HOSTILE_FRAGMENTS)), { maxLength: 12 })
  .map((parts) => parts.join(""));

/** Random input: strings, protocol-piece soup, bytes, and values that are neither. */
export const randomMessages: fc.Arbitrary<Message[]> = fc.array(
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    pieceString,
    fc.uint8Array({ maxLength: 32 }).map((b) => Buffer.from(b)),
    fc.anything({ maxDepth: 2 }),
  ),
  { minLength: 1, maxLength: 4 },
);

/** Everything a fuzz run draws from: a third valid, a third mutated, a third random. */
export const anyMessages: fc.Arbitrary<Message[]> = fc.oneof(validMessages, mutatedMessages, randomMessages);

/** Only what can travel over engine.io: strings and bytes (for the live-server fuzzer). */
export const wireMessages: fc.Arbitrary<Array<string | Buffer>> = anyMessages.map((msgs) =>
  msgs.filter((m): m is string | Buffer => typeof m === "string" || Buffer.isBuffer(m)),
);
