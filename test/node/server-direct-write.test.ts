// Acks, emits and foreign adapters' broadcasts written straight to idle WebSockets: they must
// never overtake what engine.io queued, must leave engine.io's path to whoever needs it
// (polling, volatile, permessage-deflate, engine.io write listeners), and the fast path must
// step aside when engine.io's or ws's internals are not what it expects.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { afterEach, describe, it } from "node:test";
import type { Socket as EngineSocket } from "engine.io";
import type { AdapterConstructor, Socket } from "../../src/server/index.js";
import { idleTransport } from "../../src/server/direct-write.js";
import { RawEngineClient } from "../support/raw-engine.js";
import { clientsUnderTest, collect, connected, once, startServer, type ClientOptions, type ClientSocket, type TestServer } from "../support/server-harness.js";

const require = createRequire(import.meta.url);
const { Adapter: ReferenceAdapter } = require("socket.io-adapter") as { Adapter: AdapterConstructor };

/** Counts the packets that go through engine.io's own write path, and the options they carry. */
function engineWrites(socket: Socket): { count: number; opts: Array<{ compress?: boolean } | undefined> } {
  const conn = socket.conn;
  const write = conn.write.bind(conn);
  const seen = { count: 0, opts: [] as Array<{ compress?: boolean } | undefined> };
  conn.write = ((data: string, opts?: { compress?: boolean }, cb?: () => void) => {
    seen.count++;
    seen.opts.push(opts);
    return write(data, opts, cb);
  }) as EngineSocket["write"];
  return seen;
}

/** Every event and ack reply the client gets, in arrival order. */
function arrivals(c: ClientSocket): string[] {
  const got: string[] = [];
  c.onAny((ev: string) => got.push(ev));
  return got;
}

for (const client of await clientsUnderTest()) {
  describe(`server: acks and emits written directly (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    async function join(opts: ClientOptions = { transports: ["websocket"] }): Promise<{ c: ClientSocket; socket: Socket }> {
      const next = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect("/", opts));
      const [socket] = await next;
      return { c, socket };
    }

    it("an idle WebSocket gets emits and the ack without engine.io's buffer, in order", async () => {
      s = await startServer(client);
      const { c, socket } = await join();
      const writes = engineWrites(socket);
      socket.on("q", (n: number, ack: (r: string) => void) => {
        socket.emit("a", n);
        socket.emit("b", { n });
        ack(`r${n}`);
      });
      const got = arrivals(c);
      const reply = await c.emitWithAck("q", 1);
      got.push(reply as string);
      assert.deepEqual(got, ["a", "b", "r1"]);
      assert.equal(writes.count, 0);
    });

    it("an ack keeps its place behind what engine.io queued, and the direct path resumes once it is sent", async () => {
      s = await startServer(client);
      const { c, socket } = await join();
      const writes = engineWrites(socket);
      const big = "z".repeat(20_000);
      socket.on("q", (ack: (r: string) => void) => {
        socket.emit("first");
        // Volatile takes engine.io's path, whose send keeps its transport busy: what follows queues behind it.
        socket.volatile.emit("big", big);
        socket.emit("mid");
        ack("r");
      });
      socket.on("again", (ack: (r: string) => void) => ack("r2"));
      const got = arrivals(c);
      const bigArrived = once<[string]>(c, "big");
      got.push((await c.emitWithAck("q")) as string);
      assert.deepEqual(got, ["first", "big", "mid", "r"]);
      assert.equal((await bigArrived)[0].length, big.length);
      assert.equal(writes.count, 3, "big, mid and the ack went through engine.io");
      assert.equal(await c.emitWithAck("again"), "r2");
      assert.equal(writes.count, 3, "the next ack went straight to the WebSocket");
    });

    it("a polling client gets its acks through engine.io", async () => {
      s = await startServer(client);
      const { c, socket } = await join({ transports: ["polling"] });
      const writes = engineWrites(socket);
      socket.on("q", (ack: (r: number) => void) => ack(42));
      assert.equal(await c.emitWithAck("q"), 42);
      assert.equal(writes.count, 1);
    });

    it("with permessage-deflate, packets keep engine.io's path, where ws compresses them", async () => {
      s = await startServer(client, { perMessageDeflate: { threshold: 0 } });
      const { c, socket } = await join({ transports: ["websocket"], perMessageDeflate: { threshold: 0 } });
      const writes = engineWrites(socket);
      const text = "compressible ".repeat(500);
      socket.on("q", (ack: (r: string) => void) => ack(text));
      assert.equal(await c.emitWithAck("q"), text);
      assert.equal(writes.count, 1);
    });

    it("an engine.io packetCreate listener sees acks", async () => {
      s = await startServer(client);
      const { c, socket } = await join();
      const seen: unknown[] = [];
      socket.conn.on("packetCreate", (packet: { type: string; data?: unknown }) => {
        if (packet.type === "message") seen.push(packet.data);
      });
      socket.on("q", (ack: (r: number) => void) => ack(7));
      assert.equal(await c.emitWithAck("q"), 7);
      assert.deepEqual(seen, ["30[7]"]);
    });
  });

  describe(`server with socket.io-adapter's Adapter: broadcasts (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    it("reach WebSocket clients directly and polling clients through engine.io, with volatile and compress kept", async () => {
      s = await startServer(client, { adapter: ReferenceAdapter });
      const sockets: Socket[] = [];
      s.io.on("connection", (socket) => sockets.push(socket));
      const ws = await connected(s.connect("/", { transports: ["websocket"] }));
      const polling = await connected(s.connect("/", { transports: ["polling"] }));
      const [wsWrites, pollingWrites] = sockets.map(engineWrites);
      const onWs = collect<unknown[]>({ on: (e, l) => ws.onAny((ev, ...a) => l([ev, ...a])) }, "any", 3);
      const onPolling = collect<unknown[]>({ on: (e, l) => polling.onAny((ev, ...a) => l([ev, ...a])) }, "any", 2);
      s.io.emit("m", { n: 1 });
      // Dropped for the polling client: its one pending poll has just carried "m".
      s.io.volatile.emit("v", 2);
      s.io.compress(false).emit("z", Buffer.from([1, 2, 3]));
      const [wsEvents, pollingEvents] = await Promise.all([onWs, onPolling]);
      assert.deepEqual(wsEvents.map((e) => e[0]), ["m", "v", "z"]);
      assert.deepEqual(pollingEvents.map((e) => e[0]), ["m", "z"]);
      for (const events of [wsEvents, pollingEvents]) {
        assert.deepEqual(events[0], ["m", { n: 1 }]);
        assert.deepEqual([...Buffer.from(events.at(-1)![1] as Uint8Array)], [1, 2, 3]);
      }
      // "m" went straight to the WebSocket; "v" took engine.io's path, and both parts of "z" queued behind it.
      assert.equal(wsWrites!.count, 3);
      // Polling: "m", then one write per part of "z" (a header and one attachment).
      assert.equal(pollingWrites!.count, 3);
      assert.equal(pollingWrites!.opts.at(-1)?.compress, false);
    });
  });
}

describe("server: a client that stops reading its own emits", { timeout: 30_000 }, () => {
  let s: TestServer;
  let raw: RawEngineClient | undefined;
  afterEach(async () => {
    raw?.close();
    await s?.close();
  });

  it('is disconnected with "write buffer full" once direct writes pass maxBufferedBytes', async () => {
    const [client] = await clientsUnderTest();
    s = await startServer(client!, { maxBufferedBytes: 1024 * 1024 });
    const joined = once<[Socket]>(s.io, "connection");
    raw = await RawEngineClient.connect(s.port);
    await raw.join();
    const [socket] = await joined;
    const writes = engineWrites(socket);
    const reason = once<[string]>(socket, "disconnect");
    let stopped = false;
    void reason.then(() => (stopped = true));
    raw.pause();
    const payload = "y".repeat(16 * 1024);
    // 128 KiB a turn; up to 1 GiB as a safety net (loopback kernel buffers take a few MiB first).
    for (let sent = 0; !stopped && sent < 65_536; ) {
      for (let i = 0; i < 8; i++, sent++) socket.emit("m", payload);
      await new Promise((r) => setImmediate(r));
    }
    assert.equal((await reason)[0], "write buffer full");
    assert.equal(writes.count, 0, "every emit went straight to the WebSocket, and was counted against the cap");
  });
});

describe("server: the direct write steps aside when internals are not what it expects", () => {
  function fakeConn(): Record<string, any> {
    const netSocket = { writableCorked: 0, cork() {}, uncork() {} };
    const ws = { readyState: 1, bufferedAmount: 0, terminate() {}, _extensions: {}, _sender: { sendFrame() {} }, _socket: netSocket };
    return {
      readyState: "open",
      protocol: 4,
      writeBuffer: [],
      _events: {},
      server: { _events: {} },
      transport: { name: "websocket", writable: true, supportsBinary: true, socket: ws },
    };
  }
  const conn = (c: Record<string, any>) => c as unknown as EngineSocket;

  it("takes an idle, open Engine.IO v4 WebSocket", () => {
    assert.notEqual(idleTransport(conn(fakeConn())), undefined);
  });

  const cases: Array<[string, (c: Record<string, any>) => void]> = [
    ["the connection is closing", (c) => (c.readyState = "closing")],
    ["Engine.IO v3", (c) => (c.protocol = 3)],
    ["the transport is polling", (c) => (c.transport.name = "polling")],
    ["engine.io is sending", (c) => (c.transport.writable = false)],
    ["engine.io has packets queued", (c) => c.writeBuffer.push({ type: "message" })],
    ["engine.io keeps no writeBuffer", (c) => delete c.writeBuffer],
    ["someone listens to flush", (c) => (c._events.flush = () => {})],
    ["someone listens to the server's drain", (c) => (c.server._events.drain = () => {})],
    ["the WebSocket is closing", (c) => (c.transport.socket.readyState = 2)],
    ["ws has no sender", (c) => delete c.transport.socket._sender],
    ["ws's sender has no sendFrame", (c) => delete c.transport.socket._sender.sendFrame],
    ["ws keeps no extensions table", (c) => delete c.transport.socket._extensions],
    ["permessage-deflate was negotiated", (c) => (c.transport.socket._extensions["permessage-deflate"] = {})],
  ];
  for (const [name, mutate] of cases) {
    it(`leaves the write to engine.io when ${name}`, () => {
      const c = fakeConn();
      mutate(c);
      assert.equal(idleTransport(conn(c)), undefined);
    });
  }
});
