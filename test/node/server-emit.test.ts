import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { clientsUnderTest, connected, once, startServer, type ClientSocket, type TestServer } from "../support/server-harness.js";

for (const client of await clientsUnderTest()) {
  describe(`server: emit and acks (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    async function pair(opts = {}): Promise<{ socket: Socket; c: ClientSocket }> {
      s = await startServer(client, opts);
      const seen = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect());
      const [socket] = await seen;
      return { socket, c };
    }

    it("delivers events both ways with any JSON and binary arguments", async () => {
      const { socket, c } = await pair();
      const got = once(c, "data");
      socket.emit("data", 1, "two", { three: [3] }, null, Buffer.from([1, 2, 3]));
      const [a, b, obj, nil, bin] = await got;
      assert.deepEqual([a, b, obj, nil], [1, "two", { three: [3] }, null]);
      assert.deepEqual([...new Uint8Array(bin as ArrayBuffer)], [1, 2, 3]);

      const back = once(socket, "upload");
      c.emit("upload", { name: "f" }, new Uint8Array([9, 8]));
      const [meta, file] = await back;
      assert.deepEqual(meta, { name: "f" });
      assert.ok(Buffer.isBuffer(file));
      assert.deepEqual([...(file as Buffer)], [9, 8]);
    });

    it("calls the server's ack with the client's reply, and the client's ack with the server's", async () => {
      const { socket, c } = await pair();
      c.on("ask", (q: string, cb: (a: string) => void) => cb(q + "?"));
      const reply = await new Promise((resolve) => socket.emit("ask", "why", resolve));
      assert.equal(reply, "why?");
      socket.on("sum", (a: number, b: number, cb: (n: number) => void) => {
        cb(a + b);
        cb(0); // a second call must not send a second ACK
      });
      assert.equal(await c.emitWithAck("sum", 2, 3), 5);
      assert.equal(await c.emitWithAck("sum", 1, 1), 2);
    });

    it("emitWithAck resolves with the reply; timeout() rejects with 'operation has timed out'", async () => {
      const { socket, c } = await pair();
      c.on("echo", (v: unknown, cb: (v: unknown) => void) => cb(v));
      c.on("silent", () => {});
      assert.deepEqual(await socket.emitWithAck("echo", { x: 1 }), { x: 1 });
      assert.equal(await socket.timeout(5000).emitWithAck("echo", 7), 7);
      await assert.rejects(socket.timeout(20).emitWithAck("silent"), (err: Error & { code?: string }) => {
        assert.equal(err.message, "operation has timed out");
        assert.equal(err.code, "ACK_TIMEOUT");
        return true;
      });
      const [err, value] = await new Promise<unknown[]>((resolve) => socket.timeout(5000).emit("echo", "v", (...args: unknown[]) => resolve(args)));
      assert.equal(err, null);
      assert.equal(value, "v");
    });

    it("fails pending timed acks when the socket disconnects, leaving no timer behind", async () => {
      const { socket, c } = await pair();
      c.on("silent", () => {});
      const pending = socket.timeout(60_000).emitWithAck("silent");
      await once(c, "silent");
      socket.disconnect();
      await assert.rejects(pending, (err: Error & { code?: string }) => err.code === "SOCKET_DISCONNECTED");
      assert.equal(socket.acks.size, 0);
    });

    it("refuses to emit reserved event names", async () => {
      const { socket } = await pair();
      assert.throws(() => socket.emit("disconnect" as never), /"disconnect" is a reserved event name/);
      assert.throws(() => s.io.emit("connect" as never), /reserved event name/);
    });

    it("send() and write() emit 'message'", async () => {
      const { socket, c } = await pair();
      const got = once(c, "message");
      socket.send("hi", 1);
      assert.deepEqual(await got, ["hi", 1]);
      const got2 = once(c, "message");
      socket.write("again");
      assert.deepEqual(await got2, ["again"]);
      const up = once(socket, "message");
      c.send("up");
      assert.deepEqual(await up, ["up"]);
    });

    it("onAny / prependAny / offAny see incoming events; onAnyOutgoing sees outgoing ones", async () => {
      const { socket, c } = await pair();
      const incoming: unknown[][] = [];
      const first: unknown[] = [];
      const spy = (...args: unknown[]) => incoming.push(args);
      socket.onAny(spy);
      socket.prependAny((ev: unknown) => first.push(ev));
      assert.equal(socket.listenersAny().length, 2);
      const outgoing: unknown[][] = [];
      socket.onAnyOutgoing((...args: unknown[]) => outgoing.push(args));
      const done = once(socket, "b");
      c.emit("a", 1);
      c.emit("b", 2);
      await done;
      assert.deepEqual(incoming, [["a", 1], ["b", 2]]);
      assert.deepEqual(first, ["a", "b"]);
      socket.offAny(spy);
      assert.equal(socket.listenersAny().length, 1);
      socket.offAny();
      assert.equal(socket.listenersAny().length, 0);

      const received = once(c, "out");
      socket.emit("out", "x");
      await received;
      const broadcastReceived = once(c, "all");
      s.io.emit("all", "y");
      await broadcastReceived;
      assert.deepEqual(outgoing, [["out", "x"], ["all", "y"]]);
      assert.equal(socket.listenersAnyOutgoing().length, 1);
      socket.offAnyOutgoing();
      assert.equal(socket.listenersAnyOutgoing().length, 0);
    });

    it("runs per-packet middlewares; next(err) goes to the socket's 'error' listener", async () => {
      const { socket, c } = await pair();
      socket.use(([event, ...args], next) => {
        if (event === "forbidden") return next(new Error("not allowed"));
        args.length; // the event is readable and mutable before the listeners
        next();
      });
      const errors: string[] = [];
      socket.on("error", (err) => errors.push(err.message));
      let forbiddenReached = false;
      socket.on("forbidden", () => (forbiddenReached = true));
      const ok = once(socket, "fine");
      const errored = once(socket, "error");
      c.emit("forbidden");
      c.emit("fine", 1);
      await errored;
      assert.deepEqual(await ok, [1]);
      assert.deepEqual(errors, ["not allowed"]);
      assert.equal(forbiddenReached, false);
    });

    it("volatile and compress flags still deliver to a writable client", async () => {
      s = await startServer(client);
      const seen = once<[Socket]>(s.io, "connection");
      // Over WebSocket the transport is writable whenever idle, so nothing volatile is dropped.
      const c = await connected(s.connect("/", { transports: ["websocket"] }));
      const [socket] = await seen;
      const a = once(c, "v");
      socket.volatile.emit("v", 1);
      assert.deepEqual(await a, [1]);
      const b = once(c, "z");
      socket.compress(false).emit("z", 2);
      assert.deepEqual(await b, [2]);
    });

    it("an event with no arguments arrives with none", async () => {
      const { socket, c } = await pair();
      const got = once(c, "ping-me");
      socket.emit("ping-me");
      assert.deepEqual(await got, []);
    });

    it("socket.to(room) broadcasts to others but not to itself", async () => {
      s = await startServer(client);
      const sockets: Socket[] = [];
      s.io.on("connection", (socket) => {
        sockets.push(socket);
        socket.join("r");
      });
      const a = await connected(s.connect());
      const b = await connected(s.connect());
      let aGot = false;
      a.on("news", () => (aGot = true));
      const got = once(b, "news");
      const sa = sockets.find((x) => x.id === a.id)!;
      sa.to("r").emit("news", "from a");
      assert.deepEqual(await got, ["from a"]);
      // a ping-pong through a proves a had time to receive it, if it had been sent
      const rt = once(a, "rt");
      sa.emit("rt");
      await rt;
      assert.equal(aGot, false);
      const gotB = once(b, "all-but-a");
      sa.broadcast.emit("all-but-a");
      await gotB;
    });
  });
}
