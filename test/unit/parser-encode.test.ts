import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Encoder, PacketType, type Packet } from "../../src/parser/index.js";
import * as T from "../../src/parser/types.js";

const encoder = new Encoder();

// One row per packet shape: the packet, the string header it must become, and its attachments.
const rows: Array<{ name: string; packet: Packet; wire: string; attachments?: unknown[] }> = [
  { name: "CONNECT to /", packet: { type: PacketType.CONNECT, nsp: "/" }, wire: "0" },
  { name: "CONNECT with auth", packet: { type: PacketType.CONNECT, nsp: "/", data: { token: "x" } }, wire: '0{"token":"x"}' },
  { name: "CONNECT to a namespace", packet: { type: PacketType.CONNECT, nsp: "/admin" }, wire: "0/admin," },
  { name: "CONNECT reply with sid", packet: { type: PacketType.CONNECT, nsp: "/admin", data: { sid: "abc" } }, wire: '0/admin,{"sid":"abc"}' },
  { name: "DISCONNECT", packet: { type: PacketType.DISCONNECT, nsp: "/" }, wire: "1" },
  { name: "DISCONNECT from a namespace", packet: { type: PacketType.DISCONNECT, nsp: "/admin" }, wire: "1/admin," },
  { name: "EVENT", packet: { type: PacketType.EVENT, nsp: "/", data: ["hello", 1] }, wire: '2["hello",1]' },
  { name: "EVENT with ack id", packet: { type: PacketType.EVENT, nsp: "/", data: ["hello"], id: 12 }, wire: '212["hello"]' },
  { name: "EVENT in a namespace with ack id", packet: { type: PacketType.EVENT, nsp: "/chat", data: ["a"], id: 0 }, wire: '2/chat,0["a"]' },
  { name: "ACK", packet: { type: PacketType.ACK, nsp: "/", data: ["ok"], id: 3 }, wire: '33["ok"]' },
  { name: "ACK with no arguments", packet: { type: PacketType.ACK, nsp: "/x", data: [], id: 7 }, wire: "3/x,7[]" },
  { name: "CONNECT_ERROR object", packet: { type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "no" } }, wire: '4{"message":"no"}' },
  { name: "CONNECT_ERROR string", packet: { type: PacketType.CONNECT_ERROR, nsp: "/a", data: "Invalid namespace" }, wire: '4/a,"Invalid namespace"' },
  {
    name: "EVENT with a Buffer becomes BINARY_EVENT",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["file", Buffer.from([1, 2])] },
    wire: '51-["file",{"_placeholder":true,"num":0}]',
    attachments: [Buffer.from([1, 2])],
  },
  {
    name: "ACK with nested binary becomes BINARY_ACK",
    packet: { type: PacketType.ACK, nsp: "/b", id: 9, data: [{ a: [new Uint8Array([1]), { b: new ArrayBuffer(2) }] }] },
    wire: '62-/b,9[{"a":[{"_placeholder":true,"num":0},{"b":{"_placeholder":true,"num":1}}]}]',
    attachments: [new Uint8Array([1]), new ArrayBuffer(2)],
  },
  {
    name: "DataView, typed arrays and Blob are attachments",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["x", new DataView(new ArrayBuffer(1)), new Float32Array(1), new Blob(["z"])] },
    wire: '53-["x",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1},{"_placeholder":true,"num":2}]',
  },
  {
    name: "BINARY_EVENT without binary is a plain EVENT",
    packet: { type: PacketType.BINARY_EVENT, nsp: "/", data: ["x"] },
    wire: '2["x"]',
  },
  {
    name: "toJSON is honoured as by JSON.stringify",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["d", new Date(0), { toJSON: () => ({ bin: Buffer.from([7]) }) }] },
    wire: '51-["d","1970-01-01T00:00:00.000Z",{"bin":{"_placeholder":true,"num":0}}]',
    attachments: [Buffer.from([7])],
  },
  // The plain-data look-ahead must hand every one of these to the full walk.
  {
    name: "binary in a null-prototype object",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["n", Object.assign(Object.create(null) as object, { b: Buffer.from([3]) })] },
    wire: '51-["n",{"b":{"_placeholder":true,"num":0}}]',
    attachments: [Buffer.from([3])],
  },
  {
    name: "binary in a class instance",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["c", new (class Box { b = new Uint8Array([4]) })()] },
    wire: '51-["c",{"b":{"_placeholder":true,"num":0}}]',
    attachments: [new Uint8Array([4])],
  },
  {
    name: "binary deep in plain data, after plain siblings",
    packet: { type: PacketType.ACK, nsp: "/", id: 1, data: [{ a: 1, b: [{}, [], { c: [null, { d: Buffer.from([5]) }] }] }] },
    wire: '61-1[{"a":1,"b":[{},[],{"c":[null,{"d":{"_placeholder":true,"num":0}}]}]}]',
    attachments: [Buffer.from([5])],
  },
  {
    name: "an own __proto__ key beside a binary stays a key in the copy",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["p", Object.assign(JSON.parse('{"__proto__":{"x":1}}') as object, { b: Buffer.from([6]) })] },
    wire: '51-["p",{"__proto__":{"x":1},"b":{"_placeholder":true,"num":0}}]',
    attachments: [Buffer.from([6])],
  },
  {
    name: "binary under an own __proto__ key",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["p", JSON.parse('{"a":1,"__proto__":{"b":0}}', (k, v) => (k === "b" ? Buffer.from([8]) : v)) as object] },
    wire: '51-["p",{"a":1,"__proto__":{"b":{"_placeholder":true,"num":0}}}]',
    attachments: [Buffer.from([8])],
  },
  {
    name: "a plain object with its own toJSON",
    packet: { type: PacketType.EVENT, nsp: "/", data: ["t", { x: 1, toJSON: () => "swapped" }] },
    wire: '2["t","swapped"]',
  },
];

describe("Encoder", () => {
  for (const row of rows) {
    test(row.name, () => {
      const [head, ...attachments] = encoder.encode(row.packet);
      assert.equal(head, row.wire);
      if (row.attachments) assert.deepEqual(attachments, row.attachments);
    });
  }

  test("does not mutate the packet it encodes", () => {
    const buf = Buffer.from([1]);
    const packet: Packet = { type: PacketType.EVENT, nsp: "/", data: ["a", { buf }] };
    encoder.encode(packet);
    assert.deepEqual(packet, { type: PacketType.EVENT, nsp: "/", data: ["a", { buf }] });
  });

  test("an enumerable key inherited from a polluted Object.prototype neither hides nor adds a binary", () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = Buffer.from([9]);
    try {
      assert.deepEqual(encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["p", { a: 1 }] }), ['2["p",{"a":1}]']);
      const [head, bin] = encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["p", { a: Buffer.from([1]) }] });
      assert.equal(head, '51-["p",{"a":{"_placeholder":true,"num":0}}]');
      assert.deepEqual(bin, Buffer.from([1]));
    } finally {
      delete proto.polluted;
    }
  });

  test("passes attachments through by reference, in placeholder order", () => {
    const a = Buffer.from([1]);
    const b = new ArrayBuffer(4);
    const [, first, second] = encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["e", b, [a]] });
    assert.equal(first, b);
    assert.equal(second, a);
  });

  test("uses the replacer for JSON", () => {
    const withReplacer = new Encoder((key, value) => (key === "secret" ? undefined : value));
    assert.deepEqual(withReplacer.encode({ type: PacketType.EVENT, nsp: "/", data: ["e", { secret: 1, ok: 2 }] }), ['2["e",{"ok":2}]']);
  });

  test("refuses an unknown packet type", () => {
    assert.throws(() => encoder.encode({ type: 9 as PacketType, nsp: "/" }), { name: "ParserError", code: "UNKNOWN_PACKET_TYPE" });
  });
});

test("the codec's plain packet-type constants are PacketType's numbers", () => {
  assert.deepEqual({ ...T }, Object.fromEntries(Object.entries(PacketType).filter(([k]) => Number.isNaN(Number(k)))));
});
