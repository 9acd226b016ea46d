// Events and acks in both directions, timeouts, binary payloads, the send buffer, volatile
// emits and the catch-all listeners. Each spec runs against every available server.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Socket as ServerSocket } from "socket.io";
import type { Socket } from "../../src/client/index.js";
import { Fixture, next } from "../support/client-fixtures.js";
import { serverImpls } from "../support/official-server.js";

for (const impl of await serverImpls()) {
  describe(`client emit (${impl.name})`, () => {
    let f: Fixture;
    let socket: Socket;
    let peer: ServerSocket;

    beforeEach(async () => {
      f = new Fixture(impl);
      await f.start();
      socket = f.client("/", { transports: ["websocket"] });
      [peer] = await next(f.server.io, "connection");
      if (!socket.connected) await next(socket, "connect");
    });
    afterEach(() => f.end());

    it("in Node, the engine and its transport emit without component-emitter's per-call garbage, after an upgrade too", async () => {
      const emitOf = (emitter: object): unknown => (emitter as { emitReserved: unknown }).emitReserved;
      const fast = emitOf(socket.io.engine);
      assert.equal(emitOf(socket.io.engine.transport), fast, "the WebSocket transport");
      const arrived = next<[ServerSocket]>(f.server.io, "connection");
      const upgrading = f.client("/", { transports: ["polling", "websocket"] });
      const [upgradingPeer] = await arrived;
      upgradingPeer.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v));
      if (!upgrading.connected) await next(upgrading, "connect");
      if (upgrading.io.engine.transport.name !== "websocket") await next(upgrading.io.engine, "upgrade");
      assert.equal(emitOf(upgrading.io.engine.transport), fast, "the transport taken on upgrade");
      assert.equal(await upgrading.timeout(10_000).emitWithAck("echo", "after"), "after");
    });

    it("emits several arguments to the server, which acks with several values", async () => {
      peer.on("sum", (a: number, b: number, c: { n: number }, ack: (...r: unknown[]) => void) => ack(a + b + c.n, "ok", null));
      const got = await new Promise<unknown[]>((resolve) => socket.emit("sum", 1, 2, { n: 3 }, (...r: unknown[]) => resolve(r)));
      assert.deepEqual(got, [6, "ok", null]);
    });

    it("receives several arguments from the server and acks them", async () => {
      socket.on("ask", (a: string, b: number[], ack: (...r: unknown[]) => void) => ack(a.toUpperCase(), b.length));
      const reply = await peer.timeout(5000).emitWithAck("ask", "hi", [1, 2, 3]);
      assert.deepEqual(reply, "HI");
      const both = await new Promise<unknown[]>((resolve) => peer.emit("ask", "x", [], (...r: unknown[]) => resolve(r)));
      assert.deepEqual(both, ["X", 0]);
    });

    it("answers a server ack only once", async () => {
      let answers = 0;
      socket.on("twice", (ack: (n: number) => void) => {
        ack(1);
        ack(2);
      });
      const reply = await new Promise((resolve) =>
        peer.emit("twice", (n: number) => {
          answers++;
          resolve(n);
        }),
      );
      assert.equal(reply, 1);
      assert.equal(answers, 1);
    });

    it("a burst of emits in one tick (one batched write in Node) arrives whole and in order, each acked", async () => {
      const seen: number[] = [];
      peer.on("n", (n: number, ack: (n: number) => void) => (seen.push(n), ack(n)));
      const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => socket.emitWithAck("n", i)));
      assert.deepEqual(replies, Array.from({ length: 200 }, (_, i) => i));
      assert.deepEqual(seen, replies);
    });

    it("emitWithAck resolves with the first ack argument", async () => {
      peer.on("echo", (v: unknown, ack: (v: unknown) => void) => ack(v));
      assert.deepEqual(await socket.emitWithAck("echo", { deep: [1, "two"] }), { deep: [1, "two"] });
    });

    it("timeout(): the ack gets an error first when the server does not answer", async () => {
      peer.on("silent", () => {});
      const [err, ...rest] = await new Promise<unknown[]>((resolve) => socket.timeout(20).emit("silent", (...a: unknown[]) => resolve(a)));
      assert.ok(err instanceof Error);
      assert.equal(err.message, "operation has timed out");
      assert.deepEqual(rest, []);
      await assert.rejects(socket.timeout(20).emitWithAck("silent"), { message: "operation has timed out", code: "ACK_TIMEOUT" });
    });

    it("timeout(): the ack gets null then the values when the server answers in time", async () => {
      peer.on("fast", (ack: (a: number, b: number) => void) => ack(1, 2));
      const got = await new Promise<unknown[]>((resolve) => socket.timeout(5000).emit("fast", (...a: unknown[]) => resolve(a)));
      assert.deepEqual(got, [null, 1, 2]);
      assert.equal(await socket.timeout(5000).emitWithAck("fast"), 1);
    });

    it("the ackTimeout option applies to every emit with an ack", async () => {
      const s = f.client("/", { transports: ["websocket"], ackTimeout: 20 });
      const [p] = await next(f.server.io, "connection");
      p.on("silent", () => {});
      await assert.rejects(s.emitWithAck("silent"), { message: "operation has timed out" });
    });

    it("carries binary both ways", async () => {
      peer.on("bin", (data: { buf: Buffer; list: unknown[] }, ack: (...a: unknown[]) => void) => {
        ack(Buffer.concat([data.buf, Buffer.from([9])]), data.list);
      });
      const sent = { buf: Buffer.from([1, 2, 3]), list: ["a", new Uint8Array([4, 5])] };
      const [buf, list] = await new Promise<unknown[]>((resolve) => socket.emit("bin", sent, (...a: unknown[]) => resolve(a)));
      assert.deepEqual(new Uint8Array(buf as Buffer), new Uint8Array([1, 2, 3, 9]));
      assert.deepEqual(new Uint8Array((list as Buffer[])[1]!), new Uint8Array([4, 5]));
      const incoming = next(socket, "blob");
      peer.emit("blob", Buffer.from("héllo"), "text");
      const [blob, text] = await incoming;
      assert.equal(Buffer.from(blob).toString(), "héllo");
      assert.equal(text, "text");
    });

    it("buffers emits made before connecting and sends them in order", async () => {
      const s = f.client("/", { autoConnect: false, transports: ["websocket"] });
      for (let i = 0; i < 5; i++) s.emit("n", i);
      s.volatile.emit("n", -1); // volatile: dropped, not buffered
      assert.equal(s.sendBuffer.length, 5);
      s.connect();
      const [p] = await next(f.server.io, "connection");
      const got: number[] = [];
      await new Promise<void>((resolve) =>
        p.on("n", (i: number) => {
          got.push(i);
          if (got.length === 5) resolve();
        }),
      );
      assert.deepEqual(got, [0, 1, 2, 3, 4]);
    });

    it("onAny and onAnyOutgoing see every event; offAny removes them", async () => {
      const incoming: unknown[][] = [];
      const outgoing: unknown[][] = [];
      const first = (...a: unknown[]) => incoming.push(["first", ...a]);
      socket.onAny((...a) => incoming.push(a));
      socket.prependAny(first);
      socket.onAnyOutgoing((...a) => outgoing.push(a));
      assert.equal(socket.listenersAny().length, 2);
      const got = next(socket, "news");
      peer.emit("news", 1, "two");
      await got;
      socket.emit("reply", 3);
      assert.deepEqual(incoming, [
        ["first", "news", 1, "two"],
        ["news", 1, "two"],
      ]);
      assert.deepEqual(outgoing, [["reply", 3]]);
      socket.offAny(first);
      assert.equal(socket.listenersAny().length, 1);
      socket.offAny();
      socket.offAnyOutgoing();
      assert.deepEqual([socket.listenersAny(), socket.listenersAnyOutgoing()], [[], []]);
    });

    it("send() emits a message event", async () => {
      const got = next(peer, "message");
      socket.send("hello", 2);
      assert.deepEqual(await got, ["hello", 2]);
    });

    it("an error-first ack learns that the connection went away", async () => {
      peer.on("never", () => {});
      const acked = new Promise<unknown[]>((resolve) => socket.timeout(10_000).emit("never", (...a: unknown[]) => resolve(a)));
      await next(peer, "never");
      socket.io.engine.close();
      const [err] = await acked;
      assert.equal((err as Error).message, "socket has been disconnected");
    });
  });
}
