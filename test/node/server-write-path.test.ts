// The broadcast write path: frames built once and written straight to idle WebSockets must
// reach clients exactly as engine.io's own path would, in order with each socket's own
// packets; and a client that stops reading is cut off at `maxBufferedBytes`.
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { RawEngineClient } from "../support/raw-engine.js";
import { clientsUnderTest, collect, connected, once, startServer, type ClientSocket, type TestServer } from "../support/server-harness.js";

for (const client of await clientsUnderTest()) {
  describe(`server: broadcast write path (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    async function join(transports: string[]): Promise<{ c: ClientSocket; socket: Socket }> {
      const next = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect("/", { transports }));
      const [socket] = await next;
      return { c, socket };
    }

    it("text and binary broadcasts reach WebSocket and polling clients intact, in order with each socket's own emits", async () => {
      s = await startServer(client);
      const ws = await join(["websocket"]);
      const polling = await join(["polling"]);
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i & 0xff));
      const got = [ws.c, polling.c].map((c) => collect<unknown[]>({ on: (e, l) => c.onAny((ev, ...a) => l([ev, ...a])) }, "any", 6));
      for (const { socket } of [ws, polling]) socket.emit("own", 1);
      s.io.emit("text", { n: 2, s: "é✓" });
      s.io.emit("bin", bytes, { also: Buffer.from([1, 2, 3]) });
      for (const { socket } of [ws, polling]) socket.emit("own", 3);
      s.io.to(ws.socket.id).emit("room", 4);
      s.io.to(polling.socket.id).emit("room", 4);
      s.io.emit("end");
      for (const events of await Promise.all(got)) {
        assert.deepEqual(events.map((e) => e[0]), ["own", "text", "bin", "own", "room", "end"]);
        assert.deepEqual(events[1], ["text", { n: 2, s: "é✓" }]);
        const [, data, extra] = events[2] as [string, Uint8Array, { also: Uint8Array }];
        assert.deepEqual(Buffer.from(data), bytes);
        assert.deepEqual([...Buffer.from(extra.also)], [1, 2, 3]);
      }
    });

    it("an engine.io packetCreate listener still sees every broadcast packet", async () => {
      s = await startServer(client);
      const { c, socket } = await join(["websocket"]);
      const seen: unknown[] = [];
      socket.conn.on("packetCreate", (packet: { type: string; data?: unknown }) => {
        if (packet.type === "message") seen.push(packet.data);
      });
      const got = once(c, "b");
      s.io.emit("b", 1);
      assert.deepEqual(await got, [1]);
      assert.deepEqual(seen, ['2["b",1]']);
    });

    it("a packet larger than maxBufferedBytes still goes to a client with nothing waiting", async () => {
      s = await startServer(client, { maxBufferedBytes: 1000 });
      const { c, socket } = await join(["websocket"]);
      const big = "x".repeat(5000);
      const got = once(c, "big");
      s.io.emit("big", big);
      assert.deepEqual(await got, [big]);
      assert.equal(socket.connected, true);
    });
  });
}

describe("server: a client that stops reading", { timeout: 30_000 }, () => {
  let s: TestServer;
  let raws: RawEngineClient[] = [];
  afterEach(async () => {
    for (const r of raws) r.close();
    raws = [];
    await s?.close();
  });

  for (const volatile of [false, true]) {
    it(`is disconnected with "write buffer full" past maxBufferedBytes; others keep receiving (${volatile ? "volatile " : ""}broadcasts)`, async () => {
      const [client] = await clientsUnderTest();
      s = await startServer(client!, { maxBufferedBytes: 1024 * 1024 });
      const sockets: Socket[] = [];
      s.io.on("connection", (socket) => sockets.push(socket));
      const slow = await RawEngineClient.connect(s.port);
      const healthy = await RawEngineClient.connect(s.port);
      raws.push(slow, healthy);
      await slow.join();
      await healthy.join();
      const slowSocket = sockets[0]!;
      const reason = once<[string]>(slowSocket, "disconnect");
      const connClosed = once(slowSocket.conn, "close");
      slow.pause();
      let stopped = false;
      void reason.then(() => (stopped = true));
      const payload = "y".repeat(16 * 1024);
      let sent = 0;
      if (volatile) {
        // Volatile packets are dropped, not buffered, while the transport is busy: the cap
        // is never reached, so a few plain packets behind them must trigger it.
        for (let i = 0; i < 200; i++) s.io.volatile.emit("v", payload);
      }
      // 128 KiB a turn, well under the cap, so the healthy client (read every turn) never
      // nears it. Up to 1 GiB (a safety net): loopback kernel buffers take a few MiB first.
      while (!stopped && sent < 65_536) {
        for (let i = 0; i < 8; i++, sent++) s.io.emit("m", payload);
        await new Promise((r) => setImmediate(r));
      }
      assert.equal((await reason)[0], "write buffer full");
      assert.equal(slowSocket.connected, false);
      assert.equal(s.io.of("/").sockets.size, 1);
      // The connection is dropped at once, not after a close handshake the client cannot read.
      await connClosed;
      // The healthy client got everything, and is still served.
      s.io.emit("after", 1);
      await healthy.waitFor((p) => p === '2["after",1]');
      assert.equal(healthy.packets.filter((p) => typeof p === "string" && p.startsWith('2["m"')).length, sent);
    });
  }
});
