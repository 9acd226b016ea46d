// io()'s URL completion and the Manager cache key, as a table.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { url } from "../../src/client/url.js";

const page = { protocol: "https:", host: "example.com:8443", port: "8443" };

const rows: Array<[string | undefined, typeof page | undefined, { source: string; path: string; id: string; port: string }]> = [
  ["http://localhost:3000", undefined, { source: "http://localhost:3000", path: "/", port: "3000", id: "http://localhost:3000/socket.io" }],
  ["https://example.com/chat", undefined, { source: "https://example.com/chat", path: "/chat", port: "443", id: "https://example.com:443/socket.io" }],
  ["ws://example.com/a/b", undefined, { source: "ws://example.com/a/b", path: "/a/b", port: "80", id: "ws://example.com:80/socket.io" }],
  ["localhost:3000", undefined, { source: "https://localhost:3000", path: "/", port: "3000", id: "https://localhost:3000/socket.io" }],
  [undefined, page, { source: "https://example.com:8443", path: "/", port: "8443", id: "https://example.com:8443/socket.io" }],
  ["/admin", page, { source: "https://example.com:8443/admin", path: "/admin", port: "8443", id: "https://example.com:8443/socket.io" }],
  ["//other.org/x", page, { source: "https://other.org/x", path: "/x", port: "443", id: "https://other.org:443/socket.io" }],
  ["http://[::1]:4000/n", undefined, { source: "http://[::1]:4000/n", path: "/n", port: "4000", id: "http://[::1]:4000/socket.io" }],
];

describe("url()", () => {
  for (const [input, loc, want] of rows) {
    it(`${String(input)}${loc ? " on " + loc.host : ""}`, () => {
      const got = url(input, "/socket.io", loc);
      assert.deepEqual({ source: got.source, path: got.path, port: got.port, id: got.id }, want);
    });
  }

  it("keeps the query string apart from the namespace", () => {
    const got = url("http://h:1/nsp?room=a&x=1", "/socket.io", undefined);
    assert.equal(got.path, "/nsp");
    assert.deepEqual({ ...got.queryKey }, { room: "a", x: "1" });
  });
});
