// The write batching's probe of engine.io-client's transport: only a socket that can cork.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tcpSocketOf } from "../../src/client/tcp-socket.js";

describe("tcpSocketOf", () => {
  it("finds the TCP socket of a Node WebSocket transport", () => {
    const socket = { cork() {}, uncork() {} };
    assert.equal(tcpSocketOf({ ws: { _socket: socket } }), socket);
  });

  const none: Array<[string, unknown]> = [
    ["no transport", undefined],
    ["polling (no ws)", { name: "polling" }],
    ["a WebSocket without _socket (a browser's, another ws version)", { ws: {} }],
    ["a closed ws (_socket null)", { ws: { _socket: null } }],
    ["a socket without cork", { ws: { _socket: { uncork() {} } } }],
    ["a socket without uncork", { ws: { _socket: { cork() {} } } }],
  ];
  for (const [label, transport] of none) {
    it(`gives nothing for ${label}: the flush writes unbatched`, () => assert.equal(tcpSocketOf(transport), undefined));
  }
});
