// rtio's WebSocket frame reader, fed exact client bytes (RFC 6455 §5): every length form,
// every way the bytes can be split, fragmentation with control frames in between, and a row
// per protocol error with the code, close status and message `ws` gives for it.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import fc from "fast-check";
import { FrameReader } from "../../src/server/ws/frame-reader.js";
import { WebSocketError } from "../../src/server/ws/protocol-error.js";
import { OP, RecordingSink, clientFrame, closeBody, type FrameOptions, type SinkEvent } from "../support/ws-wire.js";

const MAX = 100 * 1024 * 1024;

/** Feeds `chunks` (copied: the reader unmasks in place) and returns what the sink saw. */
function read(chunks: readonly Buffer[], maxPayload = MAX): { events: SinkEvent[]; reader: FrameReader } {
  const sink = new RecordingSink();
  const reader = new FrameReader(sink, maxPayload);
  for (const chunk of chunks) reader.push(Buffer.from(chunk));
  return { events: sink.events, reader };
}

function bytesOf(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff));
}

function textOf(length: number): string {
  return Array.from({ length }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
}

const PREFIX = /^Invalid WebSocket frame: /;

/** The events, with errors reduced to what the rows compare (the message without ws's common prefix). */
function plain(events: readonly SinkEvent[]): unknown[] {
  return events.map((e) => (e.kind === "error" ? { kind: "error", code: e.code, status: e.status, message: e.message.replace(PREFIX, "") } : e));
}

/** The same, with each error as it prints (`String(err)`: class name and whole message). */
function printed(events: readonly SinkEvent[]): unknown[] {
  return events.map((e) => (e.kind === "error" ? { kind: "error", code: e.code, status: e.status, text: String(e.error) } : e));
}

function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

const LENGTHS = [0, 1, 125, 126, 65_535, 65_536, 70_000];

describe("ws FrameReader: whole messages", () => {
  it("a 5,000-byte frame and the frame after it, fed one byte per chunk, arrive intact (chunks are merged past 1,024)", () => {
    const data = bytesOf(5_000);
    const bytes = Buffer.concat([clientFrame(OP.BINARY, data), clientFrame(OP.TEXT, "next")]);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    assert.deepEqual(read(chunks).events, [
      { kind: "message", data, isBinary: true },
      { kind: "message", data: "next", isBinary: false },
    ]);
  });

  for (const length of LENGTHS) {
    it(`a text message of ${length} bytes`, () => {
      const text = textOf(length);
      const frame = clientFrame(OP.TEXT, text);
      const form = length < 126 ? 2 : length < 65_536 ? 4 : 10;
      assert.equal(frame.length, form + 4 + length, "the helper used the shortest length form");
      assert.deepEqual(read([frame]).events, [{ kind: "message", data: text, isBinary: false }]);
    });
    it(`a binary message of ${length} bytes`, () => {
      const data = bytesOf(length);
      assert.deepEqual(read([clientFrame(OP.BINARY, data)]).events, [{ kind: "message", data, isBinary: true }]);
    });
  }

  it("multi-byte UTF-8 text comes out as the string it encodes", () => {
    const text = '42["é✓",{"a":"😀"}]';
    assert.deepEqual(read([clientFrame(OP.TEXT, text)]).events, [{ kind: "message", data: text, isBinary: false }]);
  });

  it("accepts a length in a longer form than needed, as ws does", () => {
    const events = read([clientFrame(OP.TEXT, "hi", { lengthForm: "16" }), clientFrame(OP.BINARY, bytesOf(3), { lengthForm: "64" })]).events;
    assert.deepEqual(events, [
      { kind: "message", data: "hi", isBinary: false },
      { kind: "message", data: bytesOf(3), isBinary: true },
    ]);
  });

  it("unmasks with any key, including an all-zero one", () => {
    for (const maskKey of [[0, 0, 0, 0], [0xff, 0xff, 0xff, 0xff], [1, 2, 3, 4]] as const) {
      for (const length of [0, 1, 2, 3, 4, 5, 7, 8, 9]) {
        const data = bytesOf(length);
        assert.deepEqual(read([clientFrame(OP.BINARY, data, { maskKey })]).events, [{ kind: "message", data, isBinary: true }]);
      }
    }
  });

  it("reads several frames from one chunk, in order", () => {
    const chunk = Buffer.concat([
      clientFrame(OP.TEXT, "one"),
      clientFrame(OP.PING, "p"),
      clientFrame(OP.BINARY, bytesOf(200)),
      clientFrame(OP.PONG, ""),
      clientFrame(OP.TEXT, "two"),
    ]);
    assert.deepEqual(read([chunk]).events, [
      { kind: "message", data: "one", isBinary: false },
      { kind: "ping", payload: Buffer.from("p") },
      { kind: "message", data: bytesOf(200), isBinary: true },
      { kind: "pong", payload: Buffer.alloc(0) },
      { kind: "message", data: "two", isBinary: false },
    ]);
  });

  it("delivers control frames of 0 and 125 bytes", () => {
    assert.deepEqual(read([clientFrame(OP.PING), clientFrame(OP.PONG, bytesOf(125))]).events, [
      { kind: "ping", payload: Buffer.alloc(0) },
      { kind: "pong", payload: bytesOf(125) },
    ]);
  });

  it("maxPayload 0 means no limit", () => {
    assert.deepEqual(read([clientFrame(OP.BINARY, bytesOf(70_000))], 0).events, [{ kind: "message", data: bytesOf(70_000), isBinary: true }]);
  });
});

// One stream with every kind of frame, to be cut in every way.
const STREAM = Buffer.concat([
  clientFrame(OP.TEXT, "héllo"),
  clientFrame(OP.BINARY, bytesOf(126)),
  clientFrame(OP.TEXT, "frag", { fin: false }),
  clientFrame(OP.PING, "mid"),
  clientFrame(OP.CONT, "men", { fin: false }),
  clientFrame(OP.CONT, "ted ✓", { fin: true }),
  clientFrame(OP.BINARY, bytesOf(65_536)),
  clientFrame(OP.PONG, "x"),
  clientFrame(OP.BINARY, bytesOf(2), { fin: false }),
  clientFrame(OP.CONT, bytesOf(3)),
  clientFrame(OP.CLOSE, closeBody(1000, "bye")),
]);
const STREAM_EVENTS: SinkEvent[] = [
  { kind: "message", data: "héllo", isBinary: false },
  { kind: "message", data: bytesOf(126), isBinary: true },
  { kind: "ping", payload: Buffer.from("mid") },
  { kind: "message", data: "fragmented ✓", isBinary: false },
  { kind: "message", data: bytesOf(65_536), isBinary: true },
  { kind: "pong", payload: Buffer.from("x") },
  { kind: "message", data: Buffer.concat([bytesOf(2), bytesOf(3)]), isBinary: true },
  { kind: "close", code: 1000, reason: Buffer.from("bye") },
];

describe("ws FrameReader: chunking", () => {
  it("the stream read whole", () => {
    assert.deepEqual(read([STREAM]).events, STREAM_EVENTS);
  });

  it("the stream fed byte by byte", () => {
    const bytes = Array.from({ length: STREAM.length }, (_, i) => STREAM.subarray(i, i + 1));
    assert.deepEqual(read(bytes).events, STREAM_EVENTS);
  });

  it("each length form fed byte by byte", () => {
    for (const length of LENGTHS) {
      const frame = clientFrame(OP.BINARY, bytesOf(length));
      const bytes = Array.from({ length: frame.length }, (_, i) => frame.subarray(i, i + 1));
      assert.deepEqual(read(bytes).events, [{ kind: "message", data: bytesOf(length), isBinary: true }], `length ${length}`);
    }
  });

  it("the stream cut anywhere gives the same events (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        assert.deepEqual(read(splitAt(STREAM, cuts)).events, STREAM_EVENTS);
      }),
      { numRuns: 300 },
    );
  });

  it("a multi-byte character split across fragments and chunks is still valid UTF-8", () => {
    const euro = Buffer.from("€"); // e2 82 ac
    const frames = Buffer.concat([
      clientFrame(OP.TEXT, euro.subarray(0, 1), { fin: false }),
      clientFrame(OP.CONT, euro.subarray(1, 2), { fin: false }),
      clientFrame(OP.CONT, euro.subarray(2), { fin: true }),
    ]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 10 }), (cuts) => {
        assert.deepEqual(read(splitAt(frames, cuts)).events, [{ kind: "message", data: "€", isBinary: false }]);
      }),
      { numRuns: 100 },
    );
  });
});

describe("ws FrameReader: fragmentation", () => {
  for (const [name, opcode, parts, whole] of [
    ["text", OP.TEXT, ["a", "", "bc", "d"], "abcd"],
    ["binary", OP.BINARY, [bytesOf(1), bytesOf(0), bytesOf(300), bytesOf(2)], Buffer.concat([bytesOf(1), bytesOf(300), bytesOf(2)])],
  ] as const) {
    it(`a ${name} message in four fragments (one empty) with a ping and a pong between them`, () => {
      const frames = [
        clientFrame(opcode, parts[0], { fin: false }),
        clientFrame(OP.PING, "1"),
        clientFrame(OP.CONT, parts[1], { fin: false }),
        clientFrame(OP.CONT, parts[2], { fin: false }),
        clientFrame(OP.PONG, "2"),
        clientFrame(OP.CONT, parts[3], { fin: true }),
      ];
      assert.deepEqual(read(frames).events, [
        { kind: "ping", payload: Buffer.from("1") },
        { kind: "pong", payload: Buffer.from("2") },
        { kind: "message", data: whole, isBinary: opcode === OP.BINARY },
      ]);
    });
  }

  it("a ping between fragments is delivered as soon as it is read, before the message completes", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, MAX);
    reader.push(clientFrame(OP.TEXT, "ab", { fin: false }));
    reader.push(clientFrame(OP.PING, "now"));
    assert.deepEqual(sink.events, [{ kind: "ping", payload: Buffer.from("now") }]);
    reader.push(clientFrame(OP.CONT, "cd"));
    assert.deepEqual(sink.events.at(-1), { kind: "message", data: "abcd", isBinary: false });
  });

  it("a new message may start once a fragmented one is complete", () => {
    const frames = [clientFrame(OP.BINARY, bytesOf(2), { fin: false }), clientFrame(OP.CONT, bytesOf(2)), clientFrame(OP.TEXT, "next")];
    assert.deepEqual(read(frames).events, [
      { kind: "message", data: Buffer.concat([bytesOf(2), bytesOf(2)]), isBinary: true },
      { kind: "message", data: "next", isBinary: false },
    ]);
  });

  it("a close frame between fragments ends the reading; the partial message is dropped", () => {
    const frames = [clientFrame(OP.TEXT, "ab", { fin: false }), clientFrame(OP.CLOSE, closeBody(1001)), clientFrame(OP.CONT, "cd")];
    assert.deepEqual(read(frames).events, [{ kind: "close", code: 1001, reason: Buffer.alloc(0) }]);
  });
});

interface ErrorRow {
  name: string;
  /** The frames before the faulty bytes; what they deliver is listed in `before`. */
  lead?: Buffer[];
  before?: SinkEvent[];
  bytes: Buffer;
  code: string;
  status: number;
  message: string;
  maxPayload?: number;
}

const header = (opcode: number, declaredLength: number, opts: FrameOptions = {}): Buffer =>
  // A header and mask key only: the payload never comes, so the error must come from the header.
  clientFrame(opcode, Buffer.alloc(0), { ...opts, declaredLength });

const ERROR_ROWS: ErrorRow[] = [
  { name: "RSV1 on a text frame", bytes: clientFrame(OP.TEXT, "x", { rsv: 0x40 }), code: "WS_ERR_UNEXPECTED_RSV_1", status: 1002, message: "RSV1 must be clear" },
  { name: "RSV1 on a ping", bytes: clientFrame(OP.PING, "x", { rsv: 0x40 }), code: "WS_ERR_UNEXPECTED_RSV_1", status: 1002, message: "RSV1 must be clear" },
  {
    name: "RSV1 on a continuation",
    lead: [clientFrame(OP.TEXT, "a", { fin: false })],
    bytes: clientFrame(OP.CONT, "b", { rsv: 0x40 }),
    code: "WS_ERR_UNEXPECTED_RSV_1",
    status: 1002,
    message: "RSV1 must be clear",
  },
  { name: "RSV2", bytes: clientFrame(OP.TEXT, "x", { rsv: 0x20 }), code: "WS_ERR_UNEXPECTED_RSV_2_3", status: 1002, message: "RSV2 and RSV3 must be clear" },
  { name: "RSV3", bytes: clientFrame(OP.BINARY, "x", { rsv: 0x10 }), code: "WS_ERR_UNEXPECTED_RSV_2_3", status: 1002, message: "RSV2 and RSV3 must be clear" },
  ...[3, 4, 5, 6, 7, 11, 12, 13, 14, 15].map((op) => ({
    name: `opcode ${op}`,
    bytes: clientFrame(op, "x"),
    code: "WS_ERR_INVALID_OPCODE",
    status: 1002,
    message: `invalid opcode ${op}`,
  })),
  { name: "a continuation without a start", bytes: clientFrame(OP.CONT, "x"), code: "WS_ERR_INVALID_OPCODE", status: 1002, message: "invalid opcode 0" },
  {
    name: "a continuation after a finished message",
    lead: [clientFrame(OP.TEXT, "a", { fin: false }), clientFrame(OP.CONT, "b")],
    before: [{ kind: "message", data: "ab", isBinary: false }],
    bytes: clientFrame(OP.CONT, "c"),
    code: "WS_ERR_INVALID_OPCODE",
    status: 1002,
    message: "invalid opcode 0",
  },
  {
    name: "a text frame during a fragmented message",
    lead: [clientFrame(OP.BINARY, "a", { fin: false })],
    bytes: clientFrame(OP.TEXT, "b"),
    code: "WS_ERR_INVALID_OPCODE",
    status: 1002,
    message: "invalid opcode 1",
  },
  {
    name: "a binary frame during a fragmented message",
    lead: [clientFrame(OP.TEXT, "a", { fin: false })],
    bytes: clientFrame(OP.BINARY, "b"),
    code: "WS_ERR_INVALID_OPCODE",
    status: 1002,
    message: "invalid opcode 2",
  },
  ...[OP.CLOSE, OP.PING, OP.PONG].map((op) => ({
    name: `opcode ${op} without FIN`,
    bytes: clientFrame(op, "", { fin: false }),
    code: "WS_ERR_EXPECTED_FIN",
    status: 1002,
    message: "FIN must be set",
  })),
  ...[OP.CLOSE, OP.PING, OP.PONG].map((op) => ({
    name: `opcode ${op} with 126 bytes`,
    bytes: clientFrame(op, bytesOf(126)),
    code: "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH",
    status: 1002,
    message: "invalid payload length 126",
  })),
  { name: "a ping with a 16-bit length form", bytes: clientFrame(OP.PING, "x", { lengthForm: "16" }), code: "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH", status: 1002, message: "invalid payload length 126" },
  { name: "an unmasked text frame", bytes: clientFrame(OP.TEXT, "x", { mask: false }), code: "WS_ERR_EXPECTED_MASK", status: 1002, message: "MASK must be set" },
  { name: "an unmasked ping", bytes: clientFrame(OP.PING, "", { mask: false }), code: "WS_ERR_EXPECTED_MASK", status: 1002, message: "MASK must be set" },
  {
    name: "a 64-bit length of 2^53",
    bytes: header(OP.BINARY, 2 ** 53, { lengthForm: "64" }),
    code: "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH",
    status: 1009,
    message: "Unsupported WebSocket frame: payload length > 2^53 - 1",
    maxPayload: 0,
  },
  {
    name: "a 64-bit length with the top bit set",
    bytes: Buffer.from([0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]),
    code: "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH",
    status: 1009,
    message: "Unsupported WebSocket frame: payload length > 2^53 - 1",
    maxPayload: 0,
  },
  { name: "a text frame over maxPayload (header only)", bytes: header(OP.TEXT, 11), code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH", status: 1009, message: "Max payload size exceeded", maxPayload: 10 },
  {
    name: "a 64-bit length over maxPayload (header only)",
    bytes: header(OP.BINARY, 2 ** 40),
    code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH",
    status: 1009,
    message: "Max payload size exceeded",
    maxPayload: 1024,
  },
  {
    name: "fragments whose total is over maxPayload (second header only)",
    lead: [clientFrame(OP.BINARY, bytesOf(6), { fin: false })],
    bytes: header(OP.CONT, 5),
    code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH",
    status: 1009,
    message: "Max payload size exceeded",
    maxPayload: 10,
  },
  {
    name: "fragments over maxPayload with a ping between them",
    lead: [clientFrame(OP.TEXT, "abcde", { fin: false }), clientFrame(OP.PING, "p"), clientFrame(OP.CONT, "fghij", { fin: false })],
    before: [{ kind: "ping", payload: Buffer.from("p") }],
    bytes: header(OP.CONT, 1),
    code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH",
    status: 1009,
    message: "Max payload size exceeded",
    maxPayload: 10,
  },
  ...[[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x61, 0xe2, 0x82]].map((seq) => ({
    name: `text with invalid UTF-8 ${Buffer.from(seq).toString("hex")}`,
    bytes: clientFrame(OP.TEXT, Buffer.from(seq)),
    code: "WS_ERR_INVALID_UTF8",
    status: 1007,
    message: "invalid UTF-8 sequence",
  })),
  {
    name: "a fragmented text message that ends mid-character",
    lead: [clientFrame(OP.TEXT, Buffer.from([0xe2, 0x82]), { fin: false })],
    bytes: clientFrame(OP.CONT, "a"),
    code: "WS_ERR_INVALID_UTF8",
    status: 1007,
    message: "invalid UTF-8 sequence",
  },
  { name: "a close reason with invalid UTF-8", bytes: clientFrame(OP.CLOSE, closeBody(1000, Buffer.from([0xff, 0xfe]))), code: "WS_ERR_INVALID_UTF8", status: 1007, message: "invalid UTF-8 sequence" },
  { name: "a close payload of 1 byte", bytes: clientFrame(OP.CLOSE, Buffer.from([3])), code: "WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH", status: 1002, message: "invalid payload length 1" },
  ...[0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535].map((code) => ({
    name: `close code ${code}`,
    bytes: clientFrame(OP.CLOSE, closeBody(code)),
    code: "WS_ERR_INVALID_CLOSE_CODE",
    status: 1002,
    message: `invalid status code ${code}`,
  })),
];

describe("ws FrameReader: protocol errors", () => {
  // A valid frame after the faulty bytes: nothing may be read past an error.
  const after = clientFrame(OP.TEXT, "after");
  for (const row of ERROR_ROWS) {
    it(`${row.name}: ${row.code} (${row.status})`, () => {
      const { events } = read([...(row.lead ?? []), row.bytes, after], row.maxPayload ?? MAX);
      assert.deepEqual(plain(events), [...(row.before ?? []), { kind: "error", code: row.code, status: row.status, message: row.message }]);
      const last = events.at(-1);
      assert.ok(last?.kind === "error" && last.error instanceof WebSocketError && last.error instanceof Error);
      // ws's classes: a RangeError, or an Error for invalid UTF-8.
      assert.equal(last.error.name, row.code === "WS_ERR_INVALID_UTF8" ? "Error" : "RangeError");
    });
  }

  it("an error is reported once the faulty header has arrived, before any payload (byte by byte)", () => {
    for (const row of ERROR_ROWS.filter((r) => r.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH" || r.code === "WS_ERR_EXPECTED_MASK")) {
      const sink = new RecordingSink();
      const reader = new FrameReader(sink, row.maxPayload ?? MAX);
      for (const lead of row.lead ?? []) reader.push(Buffer.from(lead));
      const headerBytes = row.code === "WS_ERR_EXPECTED_MASK" ? 2 : row.bytes.length;
      for (let i = 0; i < headerBytes; i++) reader.push(row.bytes.subarray(i, i + 1));
      assert.equal(sink.events.at(-1)?.kind, "error", row.name);
    }
  });

  it("reports a frame over maxPayload even when its payload would follow in the same chunk", () => {
    assert.deepEqual(plain(read([clientFrame(OP.BINARY, bytesOf(11))], 10).events), [
      { kind: "error", code: "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH", status: 1009, message: "Max payload size exceeded" },
    ]);
  });

  it("a message of exactly maxPayload bytes passes, whole or in fragments", () => {
    const whole = read([clientFrame(OP.BINARY, bytesOf(10))], 10).events;
    assert.deepEqual(whole, [{ kind: "message", data: bytesOf(10), isBinary: true }]);
    const parts = read([clientFrame(OP.TEXT, "abcd", { fin: false }), clientFrame(OP.CONT, "efghij")], 10).events;
    assert.deepEqual(parts, [{ kind: "message", data: "abcdefghij", isBinary: false }]);
  });

  it("control frames do not count against maxPayload, nor toward a fragmented message's total", () => {
    const frames = [clientFrame(OP.TEXT, "abcdefgh", { fin: false }), clientFrame(OP.PING, bytesOf(100)), clientFrame(OP.CONT, "ij")];
    assert.deepEqual(read(frames, 10).events, [
      { kind: "ping", payload: bytesOf(100) },
      { kind: "message", data: "abcdefghij", isBinary: false },
    ]);
  });

  it("the total of a fragmented message starts again from zero for the next message", () => {
    const frames = [clientFrame(OP.TEXT, "abcdefgh", { fin: false }), clientFrame(OP.CONT, "ij"), clientFrame(OP.TEXT, "klmnopqrst", { fin: false }), clientFrame(OP.CONT, "")];
    assert.deepEqual(read(frames, 10).events, [
      { kind: "message", data: "abcdefghij", isBinary: false },
      { kind: "message", data: "klmnopqrst", isBinary: false },
    ]);
  });
});

describe("ws FrameReader: close frames", () => {
  for (const code of [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999]) {
    it(`close code ${code} is delivered with its reason`, () => {
      assert.deepEqual(read([clientFrame(OP.CLOSE, closeBody(code, "why ✓"))]).events, [{ kind: "close", code, reason: Buffer.from("why ✓") }]);
    });
  }

  it("a close frame without payload gives 1005 and an empty reason", () => {
    assert.deepEqual(read([clientFrame(OP.CLOSE)]).events, [{ kind: "close", code: 1005, reason: Buffer.alloc(0) }]);
  });

  it("a close frame with a code and no reason gives an empty reason", () => {
    assert.deepEqual(read([clientFrame(OP.CLOSE, closeBody(1000))]).events, [{ kind: "close", code: 1000, reason: Buffer.alloc(0) }]);
  });

  it("a close reason of 123 bytes (the most a control frame holds)", () => {
    const reason = Buffer.from(textOf(123));
    assert.deepEqual(read([clientFrame(OP.CLOSE, closeBody(4000, reason))]).events, [{ kind: "close", code: 4000, reason }]);
  });

  it("nothing is read after a close frame, in the same chunk or later ones", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, MAX);
    reader.push(Buffer.concat([clientFrame(OP.TEXT, "before"), clientFrame(OP.CLOSE, closeBody(1000)), clientFrame(OP.TEXT, "same chunk")]));
    reader.push(clientFrame(OP.PING, "later"));
    reader.push(clientFrame(OP.CLOSE));
    assert.deepEqual(sink.events, [
      { kind: "message", data: "before", isBinary: false },
      { kind: "close", code: 1000, reason: Buffer.alloc(0) },
    ]);
  });

  it("nothing is read after a protocol error, even another faulty frame", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, MAX);
    reader.push(clientFrame(OP.TEXT, "x", { mask: false }));
    reader.push(clientFrame(OP.TEXT, "x", { rsv: 0x40 }));
    reader.push(clientFrame(OP.TEXT, "fine"));
    assert.equal(sink.events.length, 1);
    assert.equal(sink.events[0]?.kind === "error" && sink.events[0].code, "WS_ERR_EXPECTED_MASK");
  });
});

describe("ws FrameReader: stop()", () => {
  it("drops a partly received frame and reads nothing more", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, MAX);
    const frame = clientFrame(OP.TEXT, "complete me");
    reader.push(clientFrame(OP.TEXT, "first"));
    reader.push(frame.subarray(0, 5));
    reader.stop();
    reader.push(frame.subarray(5));
    reader.push(clientFrame(OP.TEXT, "later"));
    assert.deepEqual(sink.events, [{ kind: "message", data: "first", isBinary: false }]);
  });

  it("drops a fragmented message in progress", () => {
    const sink = new RecordingSink();
    const reader = new FrameReader(sink, MAX);
    reader.push(clientFrame(OP.TEXT, "ab", { fin: false }));
    reader.stop();
    reader.push(clientFrame(OP.CONT, "cd"));
    assert.deepEqual(sink.events, []);
  });

  it("called from inside a sink callback, stops the frames that follow in the same chunk", () => {
    const events: string[] = [];
    let reader: FrameReader | undefined;
    const sink = new RecordingSink();
    sink.onMessage = (data) => {
      events.push(String(data));
      reader!.stop();
    };
    reader = new FrameReader(sink, MAX);
    reader.push(Buffer.concat([clientFrame(OP.TEXT, "one"), clientFrame(OP.TEXT, "two")]));
    assert.deepEqual(events, ["one"]);
  });
});

// ws's own receiver (server mode) as the oracle: random frame sequences, valid and not, must
// give the same messages, control frames, close and first error (code, status and message,
// less the "Invalid WebSocket frame: " prefix ws puts on most of them).
interface WsReceiver {
  on(event: string, listener: (...args: never[]) => void): void;
  /** Writable's implementation hook: called directly so that an error comes back synchronously. */
  _write(chunk: Buffer, encoding: string, cb: (err?: Error & { code?: string }) => void): void;
}
type ReceiverClass = new (options: Record<string, unknown>) => WsReceiver;
const requireCjs = createRequire(import.meta.url);
// The copy engine.io depends on: the ws socket.io apps actually run on.
const engineRequire = createRequire(requireCjs.resolve("engine.io"));
const { Receiver } = engineRequire("ws") as { Receiver: ReceiverClass };

/** ws keeps the close status of an error under a symbol of its own (not exported). */
function wsStatus(err: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(err).find((s) => s.description === "status-code");
  return key === undefined ? undefined : (err as unknown as Record<symbol, number>)[key];
}

function readWithWs(bytes: Buffer, maxPayload: number, limits: Record<string, number> = {}, asPrinted = false): unknown[] {
  const events: unknown[] = [];
  const receiver = new Receiver({ isServer: true, maxPayload, allowSynchronousEvents: true, maxFragments: 0, maxBufferedChunks: 0, ...limits });
  receiver.on("message", (data: Buffer, isBinary: boolean) => events.push({ kind: "message", data: isBinary ? Buffer.from(data) : data.toString(), isBinary }));
  receiver.on("ping", (payload: Buffer) => events.push({ kind: "ping", payload: Buffer.from(payload) }));
  receiver.on("pong", (payload: Buffer) => events.push({ kind: "pong", payload: Buffer.from(payload) }));
  receiver.on("conclude", (code: number, reason: Buffer) => events.push({ kind: "close", code, reason: Buffer.from(reason) }));
  receiver._write(Buffer.from(bytes), "buffer", (err) => {
    if (!err) return;
    const code = (err as Error & { code?: string }).code;
    events.push(asPrinted ? { kind: "error", code, status: wsStatus(err), text: String(err) } : { kind: "error", code, status: wsStatus(err), message: err.message.replace(PREFIX, "") });
  });
  return events;
}

interface FrameSpec {
  opcode: number;
  fin: boolean;
  rsv: number;
  mask: boolean;
  payload: Buffer;
}

const utf8Payload = fc.string({ unit: "binary", maxLength: 40 }).map((s) => Buffer.from(s));
const payloadArb = fc.oneof(
  { weight: 4, arbitrary: utf8Payload },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 140 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 125, 126, 127, 300).map((n) => Buffer.alloc(n, 0x61)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(1000, 1001, 1005, 1006, 1015, 3000, 4999, 999, 5000, 2000), utf8Payload)
      .map(([code, reason]) => closeBody(code, reason.subarray(0, 100))),
  },
);
const frameArb: fc.Arbitrary<FrameSpec> = fc.record({
  opcode: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(0, 1, 2, 8, 9, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
  fin: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  rsv: fc.oneof({ weight: 20, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70) }),
  mask: fc.oneof({ weight: 30, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  payload: payloadArb,
});

describe("ws FrameReader: the same as ws's Receiver", () => {
  it("random frame sequences give the same events and the same first error (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), fc.constantFrom(0, 64, 200), fc.array(fc.nat(), { maxLength: 6 }), (frames, maxPayload, cuts) => {
        const bytes = Buffer.concat(frames.map((f) => clientFrame(f.opcode, f.payload, { fin: f.fin, rsv: f.rsv, mask: f.mask })));
        assert.deepEqual(printed(read(splitAt(bytes, cuts), maxPayload).events), readWithWs(bytes, maxPayload, {}, true));
      }),
      { numRuns: 2000 },
    );
  });

  it("RSV1 together with RSV2 or RSV3 is reported as ws reports it (WS_ERR_UNEXPECTED_RSV_2_3)", () => {
    for (const rsv of [0x50, 0x60, 0x70]) {
      const bytes = clientFrame(OP.TEXT, "x", { rsv });
      assert.deepEqual(plain(read([bytes]).events), readWithWs(bytes, MAX));
      assert.deepEqual(plain(read([bytes]).events)[0], { kind: "error", code: "WS_ERR_UNEXPECTED_RSV_2_3", status: 1002, message: "RSV2 and RSV3 must be clear" });
    }
  });

  it("a close frame of 1 byte is refused from its header, as ws does, before its byte arrives", () => {
    const header = clientFrame(OP.CLOSE, Buffer.from([3])).subarray(0, 2);
    assert.deepEqual(plain(read([header]).events), readWithWs(header, MAX));
  });

  it("an error prints as ws's does: the same class and the same whole message", () => {
    const bytes = clientFrame(OP.TEXT, "x", { mask: false });
    const sink = new RecordingSink();
    new FrameReader(sink, MAX).push(bytes);
    const ours = sink.events[0];
    assert.ok(ours?.kind === "error");
    let theirs: Error | undefined;
    new Receiver({ isServer: true })._write(bytes, "buffer", (err) => (theirs = err));
    assert.equal(String(ours.error), String(theirs));
    assert.equal(String(ours.error), "RangeError: Invalid WebSocket frame: MASK must be set");
    assert.ok(ours.error instanceof RangeError && theirs instanceof RangeError);
  });
});

describe("ws FrameReader: how many fragments one message may have", () => {
  // ws's WebSocketServer refuses a message in more than 16384 fragments (maxFragments): every
  // fragment costs memory beyond its bytes (a 1-byte one, about 100 bytes of heap).
  const fragmented = (count: number, payload: string): Buffer =>
    Buffer.concat([clientFrame(OP.TEXT, payload, { fin: false }), ...Array.from({ length: count - 1 }, () => clientFrame(OP.CONT, payload, { fin: false }))]);
  const WS_LIMITS = { maxFragments: 16_384 };

  it("16384 one-byte fragments are a message, for ws and rtio", () => {
    const bytes = Buffer.concat([fragmented(16_383, "a"), clientFrame(OP.CONT, "a")]);
    const expected = [{ kind: "message", data: "a".repeat(16_384), isBinary: false }];
    assert.deepEqual(readWithWs(bytes, 1_000_000, WS_LIMITS), expected);
    assert.deepEqual(read([bytes], 1_000_000).events, expected);
  });

  it("the 16385th one-byte fragment is refused, by ws and by rtio", () => {
    const bytes = fragmented(16_385, "a");
    assert.equal(read([bytes], 1_000_000).events.at(-1)?.kind, "error");
    assert.deepEqual(readWithWs(bytes, 1_000_000, WS_LIMITS), [
      { kind: "error", code: "WS_ERR_TOO_MANY_BUFFERED_PARTS", status: 1008, message: "Too many message fragments" },
    ]);
  });

  it(
    "the refusal has ws's code, status and message",
    () => {
      const bytes = fragmented(16_385, "a");
      assert.deepEqual(plain(read([bytes], 1_000_000).events), readWithWs(bytes, 1_000_000, WS_LIMITS));
    },
  );

  it("empty fragments are not kept, so rtio does not count them (ws refuses past 16384 all the same)", () => {
    const bytes = Buffer.concat([fragmented(20_000, ""), clientFrame(OP.CONT, "end")]);
    assert.deepEqual(read([bytes], 1_000_000).events, [{ kind: "message", data: "end", isBinary: false }]);
    assert.equal((readWithWs(bytes, 1_000_000, WS_LIMITS)[0] as { kind?: string } | undefined)?.kind, "error");
  });
});
