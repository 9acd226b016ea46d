import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Decoder, Encoder, PacketType, isPacketValid, type DecoderOptions, type Packet } from "../../src/parser/index.js";

function decodeAll(chunks: unknown[], decoder = new Decoder()): Packet[] {
  const out: Packet[] = [];
  decoder.on("decoded", (p) => out.push(p));
  for (const chunk of chunks) decoder.add(chunk);
  return out;
}

// One row per valid wire shape and the packet it must give.
const valid: Array<{ wire: string; packet: Packet }> = [
  { wire: "0", packet: { type: PacketType.CONNECT, nsp: "/" } },
  { wire: "0/admin,", packet: { type: PacketType.CONNECT, nsp: "/admin" } },
  { wire: "0/admin", packet: { type: PacketType.CONNECT, nsp: "/admin" } },
  { wire: '0{"token":"abc"}', packet: { type: PacketType.CONNECT, nsp: "/", data: { token: "abc" } } },
  { wire: '0/a,{"sid":"x"}', packet: { type: PacketType.CONNECT, nsp: "/a", data: { sid: "x" } } },
  { wire: "1", packet: { type: PacketType.DISCONNECT, nsp: "/" } },
  { wire: "1/a,", packet: { type: PacketType.DISCONNECT, nsp: "/a" } },
  { wire: '2["hello"]', packet: { type: PacketType.EVENT, nsp: "/", data: ["hello"] } },
  { wire: '2[1,"x"]', packet: { type: PacketType.EVENT, nsp: "/", data: [1, "x"] } },
  { wire: '213["hello",{"a":1}]', packet: { type: PacketType.EVENT, nsp: "/", id: 13, data: ["hello", { a: 1 }] } },
  { wire: '2/chat,0["m"]', packet: { type: PacketType.EVENT, nsp: "/chat", id: 0, data: ["m"] } },
  { wire: '2/a/b,["m, n"]', packet: { type: PacketType.EVENT, nsp: "/a/b", data: ["m, n"] } },
  { wire: "35[]", packet: { type: PacketType.ACK, nsp: "/", id: 5, data: [] } },
  { wire: '3/x,5["ok",2]', packet: { type: PacketType.ACK, nsp: "/x", id: 5, data: ["ok", 2] } },
  { wire: '4{"message":"nope","data":{"a":1}}', packet: { type: PacketType.CONNECT_ERROR, nsp: "/", data: { message: "nope", data: { a: 1 } } } },
  { wire: '4/a,"Invalid namespace"', packet: { type: PacketType.CONNECT_ERROR, nsp: "/a", data: "Invalid namespace" } },
  { wire: '2["e",{"__proto__":{"polluted":1}}]', packet: { type: PacketType.EVENT, nsp: "/", data: JSON.parse('["e",{"__proto__":{"polluted":1}}]') } },
];

// One row per malformed input and the error code it must give.
const invalid: Array<{ name: string; wire: string; code: string; message: RegExp }> = [
  { name: "empty string", wire: "", code: "UNKNOWN_PACKET_TYPE", message: /unknown packet type/ },
  { name: "unknown type digit", wire: "7", code: "UNKNOWN_PACKET_TYPE", message: /^unknown packet type: "7"$/ },
  { name: "non-digit type", wire: "x[]", code: "UNKNOWN_PACKET_TYPE", message: /unknown packet type/ },
  { name: "CONNECT with an array", wire: "0[]", code: "INVALID_PAYLOAD", message: /^invalid payload: type 0$/ },
  { name: "CONNECT with a string", wire: '0"a"', code: "INVALID_PAYLOAD", message: /type 0/ },
  { name: "CONNECT with null", wire: "0null", code: "INVALID_PAYLOAD", message: /type 0/ },
  { name: "CONNECT with an ack id", wire: "05{}", code: "INVALID_ACK_ID", message: /cannot carry one/ },
  { name: "DISCONNECT with a payload", wire: "1{}", code: "INVALID_PAYLOAD", message: /^invalid payload: type 1$/ },
  { name: "EVENT without payload", wire: "2", code: "INVALID_PAYLOAD", message: /^invalid payload: type 2$/ },
  { name: "EVENT with an empty array", wire: "2[]", code: "INVALID_PAYLOAD", message: /type 2/ },
  { name: "EVENT with an object", wire: '2{"a":1}', code: "INVALID_PAYLOAD", message: /type 2/ },
  { name: "EVENT with a null name", wire: "2[null]", code: "INVALID_PAYLOAD", message: /type 2/ },
  { name: "EVENT with an object name", wire: '2[{"a":1}]', code: "INVALID_PAYLOAD", message: /type 2/ },
  { name: "EVENT named connect", wire: '2["connect"]', code: "INVALID_PAYLOAD", message: /^invalid payload: type [25]$/ },
  { name: "EVENT named disconnect", wire: '2["disconnect"]', code: "INVALID_PAYLOAD", message: /^invalid payload: type [25]$/ },
  { name: "EVENT named disconnecting", wire: '2["disconnecting"]', code: "INVALID_PAYLOAD", message: /^invalid payload: type [25]$/ },
  { name: "EVENT named newListener", wire: '2["newListener"]', code: "INVALID_PAYLOAD", message: /^invalid payload: type [25]$/ },
  { name: "EVENT named connect_error", wire: '2["connect_error"]', code: "INVALID_PAYLOAD", message: /^invalid payload: type [25]$/ },
  { name: "EVENT with broken JSON", wire: '2["a"', code: "INVALID_JSON", message: /^invalid json$/ },
  { name: "EVENT with trailing garbage", wire: '2["a"]x', code: "INVALID_JSON", message: /^invalid json$/ },
  { name: "EVENT with a 16-digit ack id", wire: '21234567890123456["a"]', code: "INVALID_ACK_ID", message: /over 15 digits/ },
  { name: "ACK without id", wire: "3[]", code: "INVALID_ACK_ID", message: /type 3 needs one/ },
  { name: "ACK with an object", wire: "31{}", code: "INVALID_PAYLOAD", message: /^invalid payload: type 3$/ },
  { name: "ACK without payload", wire: "31", code: "INVALID_PAYLOAD", message: /type 3/ },
  { name: "CONNECT_ERROR with a number", wire: "41", code: "INVALID_ACK_ID", message: /cannot carry one/ },
  { name: "CONNECT_ERROR with an array", wire: "4[]", code: "INVALID_PAYLOAD", message: /type 4/ },
  { name: "BINARY_EVENT without count", wire: '5["a"]', code: "ILLEGAL_ATTACHMENTS", message: /^illegal attachments$/ },
  { name: "BINARY_EVENT without dash", wire: '51["a"]', code: "ILLEGAL_ATTACHMENTS", message: /^illegal attachments$/ },
  { name: "BINARY_EVENT with zero attachments", wire: '50-["a"]', code: "ILLEGAL_ATTACHMENTS", message: /^illegal attachments$/ },
  { name: "BINARY_EVENT with a negative count", wire: '5-1-["a"]', code: "ILLEGAL_ATTACHMENTS", message: /^illegal attachments$/ },
  { name: "BINARY_EVENT over the attachment bound", wire: '511-["a"]', code: "TOO_MANY_ATTACHMENTS", message: /^too many attachments: 11 > 10$/ },
  { name: "BINARY_EVENT with a huge count", wire: '59999999999-["a"]', code: "ILLEGAL_ATTACHMENTS", message: /^illegal attachments$/ },
  { name: "BINARY_EVENT with a reserved name", wire: '51-["connect",{"_placeholder":true,"num":0}]', code: "INVALID_PAYLOAD", message: /^invalid payload: type [25]$/ },
  { name: "BINARY_ACK without id", wire: '61-[{"_placeholder":true,"num":0}]', code: "INVALID_ACK_ID", message: /^invalid ack id: type 6 needs one$/ },
];

describe("Decoder: valid packets", () => {
  for (const row of valid) {
    test(JSON.stringify(row.wire), () => {
      assert.deepEqual(decodeAll([row.wire]), [row.packet]);
      assert.ok(isPacketValid(row.packet));
    });
  }

  test("round-trips what the Encoder makes", () => {
    const encoder = new Encoder();
    for (const row of valid) {
      assert.deepEqual(decodeAll(encoder.encode(row.packet)), [row.packet]);
    }
  });

  test("__proto__ in a payload is an own key, never the prototype", () => {
    const [packet] = decodeAll(['2["e",{"__proto__":{"polluted":1}}]']);
    const obj = packet!.data[1];
    assert.equal(Object.getPrototypeOf(obj), Object.prototype);
    assert.deepEqual(Object.keys(obj), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  });
});

describe("Decoder: malformed input", () => {
  for (const row of invalid) {
    test(row.name, () => {
      const decoder = new Decoder();
      let emitted = 0;
      decoder.on("decoded", () => emitted++);
      assert.throws(() => decoder.add(row.wire), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.equal((err as Error).name, "ParserError");
        assert.equal((err as { code?: string }).code, row.code);
        assert.match((err as Error).message, row.message);
        return true;
      });
      assert.equal(emitted, 0);
    });
  }

  test("non-string, non-binary input", () => {
    for (const input of [null, undefined, 42, {}, [], true]) {
      assert.throws(() => new Decoder().add(input), { code: "UNKNOWN_INPUT" });
    }
  });
});

describe("Decoder: binary packets", () => {
  test("emits once the header and every attachment have arrived", () => {
    const decoder = new Decoder();
    const out: Packet[] = [];
    decoder.on("decoded", (p) => out.push(p));
    decoder.add('52-3["file",{"_placeholder":true,"num":1},[{"_placeholder":true,"num":0}]]');
    decoder.add(Buffer.from([1]));
    assert.equal(out.length, 0);
    decoder.add(new Uint8Array([2]).buffer);
    assert.deepEqual(out, [{ type: PacketType.EVENT, nsp: "/", id: 3, data: ["file", new Uint8Array([2]).buffer, [Buffer.from([1])]] }]);
  });

  test("BINARY_ACK comes out as ACK", () => {
    const [packet] = decodeAll(['61-/n,4[{"_placeholder":true,"num":0}]', Buffer.from("x")]);
    assert.deepEqual(packet, { type: PacketType.ACK, nsp: "/n", id: 4, data: [Buffer.from("x")] });
  });

  test("a placeholder under __proto__ is put back as an own key", () => {
    const [packet] = decodeAll(['51-["e",{"__proto__":{"_placeholder":true,"num":0}}]', Buffer.from("x")]);
    const obj = packet!.data[1];
    assert.equal(Object.getPrototypeOf(obj), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(obj, "__proto__")?.value, Buffer.from("x"));
  });

  const badPlaceholders: Array<[string, string]> = [
    ["num out of range", '51-["e",{"_placeholder":true,"num":1}]'],
    ["negative num", '51-["e",{"_placeholder":true,"num":-1}]'],
    ["fractional num", '51-["e",{"_placeholder":true,"num":0.5}]'],
    ["string num", '51-["e",{"_placeholder":true,"num":"0"}]'],
    ["missing num", '51-["e",{"_placeholder":true}]'],
  ];
  for (const [name, wire] of badPlaceholders) {
    test(`placeholder with ${name} is an error`, () => {
      const decoder = new Decoder();
      decoder.add(wire);
      assert.throws(() => decoder.add(Buffer.from([0])), { code: "INVALID_PLACEHOLDER" });
    });
  }

  test("binary with no packet waiting is an error", () => {
    assert.throws(() => new Decoder().add(Buffer.from([1])), { code: "UNEXPECTED_BINARY", message: "unexpected binary" });
  });

  test("a string while attachments are due is an error", () => {
    const decoder = new Decoder();
    decoder.add('51-["e",{"_placeholder":true,"num":0}]');
    assert.throws(() => decoder.add('2["e"]'), { code: "UNEXPECTED_STRING", message: "unexpected string: attachments due" });
  });

  test("destroy() drops a half-built packet and the decoder carries on", () => {
    const decoder = new Decoder();
    const out: Packet[] = [];
    decoder.on("decoded", (p) => out.push(p));
    decoder.add('51-["e",{"_placeholder":true,"num":0}]');
    decoder.destroy();
    decoder.add('2["after"]');
    assert.deepEqual(out, [{ type: PacketType.EVENT, nsp: "/", data: ["after"] }]);
  });

  test("maxAttachments can be raised and lowered", () => {
    assert.throws(() => new Decoder({ maxAttachments: 1 }).add('52-["e"]'), { code: "TOO_MANY_ATTACHMENTS" });
    const decoder = new Decoder({ maxAttachments: 20 });
    assert.doesNotThrow(() => decoder.add('520-["e"]'));
  });

  test("a payload nested deeper than the stack is a clear error", () => {
    const depth = 200_000;
    const wire = '51-["e",' + "[".repeat(depth) + '{"_placeholder":true,"num":0}' + "]".repeat(depth) + "]";
    const decoder = new Decoder();
    let err: unknown;
    try {
      decoder.add(wire);
      decoder.add(Buffer.from([1]));
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error && err.name === "ParserError", `expected a ParserError, got ${String(err)}`);
  });

  const nested = (depth: number) => '2["e",' + "[".repeat(depth - 2) + "{}" + "]".repeat(depth - 2) + "]";
  const depthRows: Array<[string, string, DecoderOptions | undefined, boolean]> = [
    ["1,000 levels pass by default", nested(1000), undefined, true],
    ["1,001 levels are refused by default", nested(1001), undefined, false],
    ["maxDepth can be lowered", nested(11), { maxDepth: 10 }, false],
    ["maxDepth can be raised", nested(5000), { maxDepth: 5000 }, true],
    ["deep objects count as levels too", '2["e",' + '{"a":'.repeat(1200) + "1" + "}".repeat(1200) + "]", undefined, false],
  ];
  for (const [name, wire, opts, ok] of depthRows) {
    test(`payload depth: ${name}`, () => {
      if (ok) assert.equal(decodeAll([wire], new Decoder(opts)).length, 1);
      else assert.throws(() => new Decoder(opts).add(wire), { name: "ParserError", code: "INVALID_PAYLOAD", message: /nested over \d+ levels/ });
    });
  }

  test("a reviver is passed to JSON.parse", () => {
    const [packet] = decodeAll(['2["e",{"n":"1"}]'], new Decoder({ reviver: (k, v) => (k === "n" ? Number(v) : v) }));
    assert.deepEqual(packet!.data, ["e", { n: 1 }]);
  });
});

describe("isPacketValid", () => {
  const rows: Array<[string, Packet, boolean]> = [
    ["event", { type: PacketType.EVENT, nsp: "/", data: ["a"] }, true],
    ["event with ack", { type: PacketType.EVENT, nsp: "/", data: ["a"], id: 1 }, true],
    ["event without data", { type: PacketType.EVENT, nsp: "/" }, false],
    ["reserved event", { type: PacketType.EVENT, nsp: "/", data: ["disconnect"] }, false],
    ["ack without id", { type: PacketType.ACK, nsp: "/", data: [] }, false],
    ["ack with negative id", { type: PacketType.ACK, nsp: "/", data: [], id: -1 }, false],
    ["namespace without slash", { type: PacketType.CONNECT, nsp: "admin" }, false],
    ["unknown type", { type: 8 as PacketType, nsp: "/" }, false],
    ["connect error string", { type: PacketType.CONNECT_ERROR, nsp: "/", data: "x" }, true],
  ];
  for (const [name, packet, expected] of rows) {
    test(name, () => assert.equal(isPacketValid(packet), expected));
  }
});

describe("Decoder: its `decoded` listeners", () => {
  test("on, once and off behave as on any emitter", () => {
    const decoder = new Decoder();
    const calls: string[] = [];
    const a = () => calls.push("a");
    decoder.on("decoded", a);
    decoder.once("decoded", () => calls.push("once"));
    decoder.on("decoded", () => calls.push("c"));
    decoder.add('2["x"]');
    decoder.off("decoded", a);
    decoder.add('2["y"]');
    decoder.off();
    decoder.add('2["z"]');
    assert.deepEqual(calls, ["a", "once", "c", "c"]);
  });

  test("a listener removed while a packet is delivered still gets that packet", () => {
    const decoder = new Decoder();
    const calls: string[] = [];
    const b = () => calls.push("b");
    decoder.on("decoded", () => {
      calls.push("a");
      decoder.off("decoded", b);
    });
    decoder.on("decoded", b);
    decoder.add('2["x"]');
    decoder.add('2["y"]');
    assert.deepEqual(calls, ["a", "b", "a"]);
  });
});
