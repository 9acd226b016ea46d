// plainQuery must read a request URL's query exactly as engine.io does (Object.fromEntries of
// URL's searchParams), or decline.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { plainQuery } from "../../src/server/query.js";

function engineIoQuery(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url, "https://socket.io").searchParams.entries());
}

const ROWS: Array<[string, Record<string, string> | undefined]> = [
  ["/socket.io/?EIO=4&transport=websocket", { EIO: "4", transport: "websocket" }],
  ["/socket.io/?EIO=4&transport=polling&t=PxA1b2&sid=abc-_DEF", { EIO: "4", transport: "polling", t: "PxA1b2", sid: "abc-_DEF" }],
  ["/socket.io/", {}],
  ["/socket.io/?", {}],
  ["/socket.io/?&&a=1&&", { a: "1" }],
  ["/?a", { a: "" }],
  ["/?a=", { a: "" }],
  ["/?=x", { "": "x" }],
  ["/?a=1=2", { a: "1=2" }],
  ["/?a=1&a=2", { a: "2" }],
  ["/?a=1?b=2", { a: "1?b=2" }],
  // An own "__proto__" key (a literal would set the prototype), and no prototype touched.
  ["/?__proto__=x&b=1", Object.fromEntries([["__proto__", "x"], ["b", "1"]])],
  ["/?__proto__=x&__proto__=y", Object.fromEntries([["__proto__", "y"]])],
  // Left to engine.io: something to decode, or a fragment.
  ["/?a=%20", undefined],
  ["/?a=b+c", undefined],
  ["/?a=b#c", undefined],
  ["/x#y", undefined],
];

describe("server: the query of a request URL", () => {
  for (const [url, expected] of ROWS) {
    it(`${url}`, () => {
      assert.deepEqual(plainQuery(url), expected);
      if (expected !== undefined) assert.deepEqual(plainQuery(url), engineIoQuery(url));
    });
  }

  it("gives engine.io's query, or none, for any URL (fast-check)", () => {
    const char = fc.constantFrom(..."ab=&?%+#/_-.~0:;,'\"<> é\t\n\u0000".split(""));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 30 }), (chars) => {
        const url = "/socket.io/" + chars.join("");
        const ours = plainQuery(url);
        if (ours !== undefined) assert.deepEqual(ours, engineIoQuery(url));
      }),
      { numRuns: 3000 },
    );
  });

  it("declines for no URL, and takes quotes, angle brackets and non-ASCII as they are", () => {
    assert.equal(plainQuery(undefined), undefined);
    assert.notEqual(plainQuery("/?a='\"<>é;,:"), undefined);
  });
});
