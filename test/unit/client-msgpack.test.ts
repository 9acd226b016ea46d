// src/msgpack against notepack.io (the codec inside socket.io-msgpack-parser): same bytes out,
// same values in, for a table of edge values and for random values.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decode, Decoder, encode, Encoder } from "../../src/msgpack/index.js";
import { PacketType, type Packet } from "../../src/parser/index.js";

const require = createRequire(import.meta.url);
const notepack = require("notepack.io") as { encode(v: unknown): Buffer; decode(b: Buffer): unknown };
const official = require("socket.io-msgpack-parser") as {
  Encoder: new () => { encode(p: unknown): Buffer[] };
  Decoder: new () => { add(b: unknown): void; on(e: string, fn: (p: unknown) => void): void };
};

const values: Array<[string, unknown]> = [
  ["small ints", [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]],
  ["negative ints", [-1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1]],
  ["floats", [0.5, -1.25, 1.5e-300, Number.MIN_VALUE, Infinity, -Infinity]],
  ["strings", ["", "a", "x".repeat(31), "x".repeat(32), "é€😀", "y".repeat(300), "z".repeat(70_000)]],
  ["constants", [null, true, false]],
  ["nested", { a: [1, { b: [] }], "": {}, n: null }],
  ["big array and map", [Array.from({ length: 20 }, (_, i) => i), Object.fromEntries(Array.from({ length: 20 }, (_, i) => ["k" + i, i]))]],
  ["binary", [Buffer.from([]), Buffer.from([1, 2, 3]), Buffer.alloc(300, 7), Buffer.alloc(70_000, 1)]],
  ["dates", [new Date(0), new Date(1_700_000_000_000), new Date(1_700_000_000_123), new Date(-1000), new Date(2 ** 36 * 1000)]],
];

describe("msgpack codec", () => {
  for (const [name, value] of values) {
    it(`${name}: same bytes as notepack.io, and decodes its bytes`, () => {
      const ours = encode(value);
      assert.deepEqual(Buffer.from(ours), notepack.encode(value));
      assert.deepEqual(decode(notepack.encode(value)), notepack.decode(notepack.encode(value)));
    });
  }

  it("leaves out undefined and function members, and encodes a lone undefined as nil", () => {
    const v = { a: undefined, b: () => 1, c: 1, d: [undefined] };
    assert.deepEqual(Buffer.from(encode(v)), notepack.encode(v));
    assert.deepEqual(decode(encode(v)), { c: 1, d: [null] });
  });

  it("writes integers beyond 2^53 as float 64, which notepack.io reads back (its own encoder garbles them)", () => {
    for (const v of [2 ** 53, 1e300, -(2 ** 60)]) {
      assert.equal(notepack.decode(Buffer.from(encode(v))), v);
      assert.equal(decode(encode(v)), v);
    }
  });

  it("honours toJSON", () => {
    const v = { when: { toJSON: () => "later" } };
    assert.deepEqual(decode(encode(v)), { when: "later" });
  });

  it("matches notepack.io on random JSON and binary values", () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d)),
        fc.string({ unit: "grapheme" }),
        fc.boolean(),
        fc.constant(null),
        fc.uint8Array().map((a) => Buffer.from(a)),
        fc.array(tie("v")),
        // notepack.io drops a "__proto__" key (it assigns it); rtio keeps it, as JSON.parse does (below).
        fc.dictionary(fc.string().filter((k) => k !== "__proto__"), tie("v")),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const bytes = notepack.encode(v);
        assert.deepEqual(Buffer.from(encode(v)), bytes);
        assert.deepEqual(decode(bytes), notepack.decode(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a "__proto__" key as an own value, as JSON.parse does, and no prototype changes', () => {
    const input = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    const decoded = decode(notepack.encode(input)) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(decoded, "__proto__")?.value, { polluted: true });
    assert.equal(decoded.a, 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("refuses truncated data, trailing bytes and unknown formats", () => {
    assert.throws(() => decode(new Uint8Array([0x92, 1])), /unexpected end/);
    assert.throws(() => decode(new Uint8Array([1, 2])), /trailing/);
    assert.throws(() => decode(new Uint8Array([0xc1])), /unknown format/);
  });
});

describe("msgpack parser", () => {
  const packets: Packet[] = [
    { type: PacketType.CONNECT, nsp: "/", data: { token: "t" } },
    { type: PacketType.EVENT, nsp: "/chat", data: ["msg", { bin: Buffer.from([1, 2]) }], id: 7 },
    { type: PacketType.ACK, nsp: "/", data: [], id: 0 },
    { type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "no", data: { a: 1 } } },
    { type: PacketType.DISCONNECT, nsp: "/x" },
  ];

  for (const packet of packets) {
    it(`type ${packet.type} round-trips through socket.io-msgpack-parser both ways`, () => {
      const [ours] = new Encoder().encode(packet);
      const theirs = new official.Decoder();
      let got: unknown;
      theirs.on("decoded", (p) => (got = p));
      theirs.add(Buffer.from(ours!));
      assert.deepEqual(got, packet);

      const decoder = new Decoder();
      let back: unknown;
      decoder.on("decoded", (p) => (back = p));
      decoder.add(new official.Encoder().encode(packet)[0]!);
      assert.deepEqual(back, packet);
    });
  }

  it("refuses what socket.io-msgpack-parser refuses, with a ParserError code", () => {
    const bad: Array<[unknown, string]> = [
      [[1, 2], "INVALID_PACKET"],
      [{ type: 9, nsp: "/" }, "UNKNOWN_PACKET_TYPE"],
      [{ type: 2, nsp: 1, data: [] }, "INVALID_NAMESPACE"],
      [{ type: 2, nsp: "/", data: "x" }, "INVALID_PAYLOAD"],
      [{ type: 2, nsp: "/", data: [], id: 1.5 }, "INVALID_ACK_ID"],
    ];
    for (const [value, code] of bad) {
      assert.throws(() => new Decoder().add(notepack.encode(value)), { code });
    }
    assert.throws(() => new Decoder().add(new Uint8Array([0xc1])), { code: "INVALID_PACKET" });
  });
});
