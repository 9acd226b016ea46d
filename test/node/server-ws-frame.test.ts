// WebSocket framing of what the server writes directly: byte for byte what ws's own Sender
// would frame, at each payload-length boundary; and the per-turn cache that lets a foreign
// adapter's recipients share one framing.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { framesOf } from "../../src/server/direct-write.js";
import { textFrame, wireFrames } from "../../src/server/ws/frame-writer.js";

type FrameFn = (data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }) => Buffer[];
const frame = (createRequire(import.meta.url)("ws") as { Sender: { frame: FrameFn } }).Sender.frame;

function reference(data: Buffer, opcode: number): Buffer {
  return Buffer.concat(frame(data, { readOnly: false, mask: false, rsv1: false, opcode, fin: true }));
}

describe("server: WebSocket framing", () => {
  // "4" + text: payloads of 0 bytes, at the 7-bit, 16-bit and 64-bit length boundaries, and multi-byte UTF-8.
  const texts = ["", "x".repeat(124), "x".repeat(125), "x".repeat(65_534), "x".repeat(65_535), "x".repeat(70_000), '2["é✓",{"a":"😀"}]'];
  for (const text of texts) {
    it(`a text frame of ${Buffer.byteLength(text) + 1} payload bytes matches ws's`, () => {
      assert.deepEqual(textFrame(text), reference(Buffer.from("4" + text), 1));
    });
  }

  it("frames header and binary attachments back to back, binary parts as they are", () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));
    const view = new Uint8Array([1, 2, 3]);
    const frames = wireFrames(['51-["bin",{"_placeholder":true,"num":0}]', bytes, view, view.buffer])!;
    assert.equal(frames.binary, true);
    const expected = Buffer.concat([
      reference(Buffer.from('451-["bin",{"_placeholder":true,"num":0}]'), 1),
      reference(bytes, 2),
      reference(Buffer.from(view), 2),
      reference(Buffer.from(view), 2),
    ]);
    assert.deepEqual(frames.bytes, expected);
  });

  it("a text-only packet is not binary; a part of another kind cannot be framed", () => {
    assert.deepEqual(wireFrames(['2["a"]']), { bytes: textFrame('2["a"]'), binary: false });
    assert.equal(wireFrames(['2["a"]', { not: "bytes" }]), undefined);
  });

  it("frames an encoded array once per turn, and anew once the turn is over", async () => {
    const encoded = ['2["news",1]'];
    const first = framesOf(encoded);
    assert.equal(framesOf(encoded), first);
    assert.notEqual(framesOf(['2["news",1]']), first, "another array is framed on its own");
    const refilled = ['2["a"]'];
    const before = framesOf(refilled);
    refilled[0] = '2["b"]';
    assert.deepEqual(framesOf(refilled)?.bytes, textFrame('2["b"]'), "a refilled array is not mistaken for the last one");
    assert.notEqual(before?.bytes.length, undefined);
    const kept = framesOf(encoded);
    await new Promise((resolve) => process.nextTick(resolve));
    assert.notEqual(framesOf(encoded), kept, "nothing is kept past the turn");
  });
});
