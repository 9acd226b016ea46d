// Property test: rtio's codec and socket.io-parser agree on every packet, both ways.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as reference from "socket.io-parser";
import { Decoder, Encoder, PacketType, RESERVED_EVENTS, type Packet } from "../../src/parser/index.js";

const RUNS = 400;
// The generated packets may carry more binaries than the default bound of 10.
const LIMITS = { maxAttachments: 1000 };

const namespace = fc.oneof(fc.constant("/"), fc.stringMatching(/^\/[a-zA-Z0-9_\-/]{1,12}$/));
const eventName = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !RESERVED_EVENTS.has(s));
const buffer = fc.uint8Array({ maxLength: 32 }).map((a) => Buffer.from(a));

// JSON values with Buffers mixed in at any depth.
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    // socket.io-parser drops an own `__proto__` key when it copies around a binary; rtio keeps it, as JSON.stringify does.
    fc.jsonValue({ maxDepth: 1 }).filter((v) => !JSON.stringify(v)?.includes('"__proto__"')),
    buffer,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }).filter((k) => k !== "__proto__"), tie("value"), { maxKeys: 4 }),
  ),
}));

const packet: fc.Arbitrary<Packet> = fc.oneof(
  fc.record({ type: fc.constant(PacketType.CONNECT), nsp: namespace, data: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })), { nil: undefined }) }),
  fc.record({ type: fc.constant(PacketType.DISCONNECT), nsp: namespace }),
  fc.record({ type: fc.constant(PacketType.EVENT), nsp: namespace, data: fc.tuple(eventName, fc.array(value, { maxLength: 4 })).map(([n, args]) => [n, ...args]), id: fc.option(fc.nat(), { nil: undefined }) }),
  fc.record({ type: fc.constant(PacketType.ACK), nsp: namespace, data: fc.array(value, { maxLength: 4 }), id: fc.nat() }),
  fc.record({ type: fc.constant(PacketType.CONNECT_ERROR), nsp: namespace, data: fc.oneof(fc.string(), fc.record({ message: fc.string() })) }),
).map((p) => dropUndefined(p as Packet));

function dropUndefined(p: Packet): Packet {
  const out: Packet = { type: p.type, nsp: p.nsp };
  if (p.data !== undefined) out.data = p.data;
  if (p.id !== undefined) out.id = p.id;
  return out;
}

// What a packet looks like after any JSON trip: Buffers kept, the rest as JSON would give it.
function normalise(p: Packet): Packet {
  const out = dropUndefined(p);
  if (p.data !== undefined) out.data = viaJSON(p.data);
  return out;
}

function viaJSON(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : viaJSON(x)));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, viaJSON(x)]));
  }
  return JSON.parse(JSON.stringify(v) ?? "null");
}

function decodeWith(decoder: { on(ev: "decoded", fn: (p: Packet) => void): unknown; add(chunk: unknown): void }, chunks: unknown[]): Packet[] {
  const out: Packet[] = [];
  decoder.on("decoded", (p) => out.push(dropUndefined(p)));
  for (const chunk of chunks) decoder.add(chunk);
  return out;
}

test("rtio encodes, socket.io-parser decodes the same packet", () => {
  fc.assert(
    fc.property(packet, (p) => {
      const chunks = new Encoder().encode(p);
      assert.deepEqual(decodeWith(new reference.Decoder(LIMITS), chunks), [normalise(p)]);
    }),
    { numRuns: RUNS },
  );
});

test("socket.io-parser encodes, rtio decodes the same packet", () => {
  fc.assert(
    fc.property(packet, (p) => {
      const chunks = new reference.Encoder().encode(structuredCloneKeepingBuffers(p));
      assert.deepEqual(decodeWith(new Decoder(LIMITS), chunks), [normalise(p)]);
    }),
    { numRuns: RUNS },
  );
});

test("both encoders give the same wire for the same packet", () => {
  fc.assert(
    fc.property(packet, (p) => {
      const ours = new Encoder().encode(p);
      const theirs = new reference.Encoder().encode(structuredCloneKeepingBuffers(p));
      assert.deepEqual(ours, theirs);
    }),
    { numRuns: RUNS },
  );
});

test("a stream of packets, binary ones split over several messages, decodes in order", () => {
  fc.assert(
    fc.property(fc.array(packet, { minLength: 1, maxLength: 8 }), (packets) => {
      const chunks = packets.flatMap((p) => new reference.Encoder().encode(structuredCloneKeepingBuffers(p)));
      assert.deepEqual(decodeWith(new Decoder(LIMITS), chunks), packets.map(normalise));
    }),
    { numRuns: RUNS / 4 },
  );
});

// socket.io-parser mutates the packet it encodes; give it its own copy.
function structuredCloneKeepingBuffers(p: Packet): Packet {
  const copy = (v: unknown): unknown =>
    Buffer.isBuffer(v) ? v : Array.isArray(v) ? v.map(copy) : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)])) : v;
  return dropUndefined({ ...p, data: copy(p.data) });
}
