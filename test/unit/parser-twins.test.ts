// The browser bundles swap some parser modules for a `.browser.ts` twin (rollup.config.js's
// browserTwins): each pair must behave the same, so every row here runs against both.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Emitter } from "@socket.io/component-emitter";
import * as decodedBrowser from "../../src/parser/decoded.browser.js";
import * as decodedNode from "../../src/parser/decoded.js";
import * as digitsBrowser from "../../src/parser/digits.browser.js";
import * as digitsNode from "../../src/parser/digits.js";
import type { Packet } from "../../src/parser/index.js";

const twins = [
  ["node", { ...decodedNode, ...digitsNode }],
  ["browser", { ...decodedBrowser, ...digitsBrowser }],
] as const;

// [header, from, to, number]: every run of digits the decoder reads (an attachment count of up
// to 9 digits, an ack id of up to 15), and none at all.
const digitRows: Array<[string, number, number, number]> = [
  ["2", 1, 1, 0],
  ["21", 1, 2, 1],
  ["20", 1, 2, 0],
  ["2007[]", 1, 4, 7],
  ["51-[]", 1, 2, 1],
  ["5999999999-[]", 1, 10, 999_999_999],
  ["2/a,42[]", 4, 6, 42],
  ["2999999999999999[]", 1, 16, 999_999_999_999_999],
  ["2123456789012345", 1, 16, 123_456_789_012_345],
  ["2000000000000001", 1, 16, 1],
];

// [type, nsp, id, data, packet]: every shape a decoded packet takes.
const packetRows: Array<[number, string, number | undefined, unknown, Packet]> = [
  [0, "/", undefined, undefined, { type: 0, nsp: "/" }],
  [0, "/a", undefined, { token: "x" }, { type: 0, nsp: "/a", data: { token: "x" } }],
  [2, "/", 0, ["e"], { type: 2, nsp: "/", id: 0, data: ["e"] }],
  [3, "/", 7, [], { type: 3, nsp: "/", id: 7, data: [] }],
  [2, "/", undefined, ["e", null], { type: 2, nsp: "/", data: ["e", null] }],
  [4, "/", undefined, "nope", { type: 4, nsp: "/", data: "nope" }],
];

for (const [name, twin] of twins) {
  describe(`parser twins (${name})`, () => {
    for (const [header, from, to, n] of digitRows) {
      test(`readDigits ${JSON.stringify(header.slice(from, to))} of ${JSON.stringify(header)} is ${n}`, () => {
        assert.equal(twin.readDigits(header, from, to), n);
      });
    }

    for (const [type, nsp, id, data, expected] of packetRows) {
      test(`packetOf ${JSON.stringify(expected)}`, () => {
        const packet = twin.packetOf(type, nsp, id, data);
        assert.deepStrictEqual(packet, expected);
        // Same keys in the same order: no `id` or `data` key when there is none.
        assert.deepStrictEqual(Object.keys(packet), Object.keys(expected));
      });
    }

    test("emitDecoded does nothing without listeners", () => {
      twin.emitDecoded(new Emitter<{}, {}, { decoded: (p: Packet) => void }>(), { type: 1, nsp: "/" });
    });

    test("emitDecoded calls each listener once, in order, on the emitter, over a snapshot of the list", () => {
      const emitter = new Emitter<{}, {}, { decoded: (p: Packet) => void }>();
      const packet: Packet = { type: 1, nsp: "/" };
      const calls: string[] = [];
      const late = () => calls.push("late");
      function first(this: unknown, p: Packet) {
        assert.equal(this, emitter);
        assert.equal(p, packet);
        calls.push("first");
        emitter.off("decoded", second);
        emitter.on("decoded", late);
      }
      function second() {
        calls.push("second");
      }
      emitter.on("decoded", first);
      emitter.on("decoded", second);
      twin.emitDecoded(emitter, packet);
      assert.deepEqual(calls, ["first", "second"]);
    });

    test("emitDecoded with one listener calls it on the emitter", () => {
      const emitter = new Emitter<{}, {}, { decoded: (p: Packet) => void }>();
      const seen: unknown[] = [];
      emitter.on("decoded", function (this: unknown, p: Packet) {
        seen.push(this, p);
      });
      const packet: Packet = { type: 1, nsp: "/" };
      twin.emitDecoded(emitter, packet);
      assert.deepEqual(seen, [emitter, packet]);
    });
  });
}
