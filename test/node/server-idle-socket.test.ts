// What an idle server socket does without: a listener table before its first listener, a Map
// for a connection's only namespace, a `data` object nobody read, a CSPRNG call per id. Each
// saving must leave the behaviour socket.io users rely on exactly as it was.
import assert from "node:assert/strict";
import { EventEmitter, getEventListeners, once as onceEvent } from "node:events";
import { afterEach, describe, it } from "node:test";
import { Manager } from "socket.io-client";
import type { Socket } from "../../src/server/index.js";
import { generateId } from "../../src/server/socket.js";
import { StrictEventEmitter } from "../../src/server/typed-emitter.js";
import { clientsUnderTest, connected, once, startServer, type TestServer } from "../support/server-harness.js";

describe("generateId", () => {
  it("gives 20 base64url characters, never the same twice, across many refills of its pool", () => {
    const ids = Array.from({ length: 1_000 }, generateId);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{20}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});

type Events = { ping: (n: number) => void; error: (err: Error) => void };

class Emitter extends StrictEventEmitter<Events, Events, {}> {
  fire(ev: string, ...args: unknown[]): boolean {
    return this.emitUntyped(ev, ...args);
  }
}

describe("StrictEventEmitter before its first listener", () => {
  it("answers every query as an empty EventEmitter does", () => {
    const e = new Emitter();
    const plain = new EventEmitter();
    assert.equal(e.listenerCount("ping"), plain.listenerCount("ping"));
    assert.deepEqual(e.eventNames(), plain.eventNames());
    assert.deepEqual(e.listeners("ping"), []);
    assert.deepEqual(e.rawListeners("ping"), []);
    assert.deepEqual(getEventListeners(e, "ping"), []);
    assert.equal(e.fire("ping", 1), false);
    assert.equal(e.removeAllListeners(), e);
    assert.equal(e.removeAllListeners("ping"), e);
    assert.equal(e.off("ping", () => {}), e);
    assert.equal(e.setMaxListeners(3).getMaxListeners(), 3);
  });

  it("throws an error event nobody listens to, as before", () => {
    const boom = new Error("boom");
    assert.throws(() => new Emitter().fire("error", boom), boom);
    assert.throws(() => new Emitter().fire("error", "text"), { code: "ERR_UNHANDLED_ERROR" });
  });

  it("works as usual once listeners come and go", async () => {
    const e = new Emitter();
    const got: number[] = [];
    const listener = (n: number) => got.push(n);
    e.on("ping", listener);
    e.once("ping", (n) => got.push(n * 10));
    e.prependListener("ping", (n: number) => got.push(-n));
    assert.equal(e.fire("ping", 1), true);
    assert.equal(e.fire("ping", 2), true);
    assert.deepEqual(got, [-1, 1, 10, -2, 2]);
    assert.deepEqual(e.eventNames(), ["ping"]);
    e.removeAllListeners();
    assert.equal(e.listenerCount("ping"), 0);
    assert.equal(e.fire("ping", 3), false);
    const next = onceEvent(e, "ping");
    e.fire("ping", 4);
    assert.deepEqual(await next, [4]);
    assert.deepEqual(e.eventNames(), []);
  });
});

for (const client of await clientsUnderTest()) {
  describe(`idle server sockets [${client.name}]`, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    it("socket.data starts as {}, keeps what the app sets (undefined too) and reaches fetchSockets", async () => {
      s = await startServer(client);
      const joined = once<[Socket]>(s.io, "connection");
      await connected(s.connect());
      const [socket] = await joined;
      assert.deepEqual(socket.data, {});
      assert.equal(socket.data, socket.data, "the same object on every read");
      (socket.data as Record<string, unknown>).user = "ann";
      assert.deepEqual((await s.io.fetchSockets())[0]!.data, { user: "ann" });
      socket.data = { user: "bob" };
      assert.deepEqual((await s.io.fetchSockets())[0]!.data, { user: "bob" });
      socket.data = undefined;
      assert.equal(socket.data, undefined);
      assert.equal((await s.io.fetchSockets())[0]!.data, undefined);
    });

    it("routes packets to each namespace of one connection and closes them in join order", async () => {
      s = await startServer(client);
      const manager = new Manager(s.url(), { forceNew: true, reconnection: false, autoConnect: false } as object);
      const server = new Map<string, Socket>();
      for (const name of ["/", "/a", "/b"]) s.io.of(name).on("connection", (socket) => server.set(name, socket));
      const root = manager.socket("/");
      const a = manager.socket("/a");
      const b = manager.socket("/b");
      try {
        for (const socket of [root, a, b]) await connected(socket.connect());
        // The first namespace leaves and joins again: it now comes last.
        const left = once<[string]>(server.get("/")!, "disconnect");
        root.disconnect();
        assert.equal((await left)[0], "client namespace disconnect");
        await connected(root.connect());
        const heard: string[] = [];
        for (const [name, socket] of server) socket.on("hello", (from: string) => heard.push(`${name}:${from}`));
        const done = Promise.all([...server.values()].map((socket) => once(socket, "hello")));
        for (const [socket, from] of [[b, "b"], [root, "root"], [a, "a"]] as const) socket.emit("hello", from);
        await done;
        assert.deepEqual(heard.sort(), ["/:root", "/a:a", "/b:b"]);
        const order: string[] = [];
        const all = Promise.all(
          [...server].map(([name, socket]) => once<[string]>(socket, "disconnect").then(([reason]) => order.push(`${name} ${reason}`))),
        );
        server.get("/b")!.disconnect(true);
        await all;
        assert.deepEqual(order, ["/a server namespace disconnect", "/b server namespace disconnect", "/ server namespace disconnect"]);
      } finally {
        for (const socket of [root, a, b]) socket.disconnect();
        manager.engine?.close();
      }
    });

    it("a connection whose every namespace left can join one again", async () => {
      s = await startServer(client);
      s.io.of("/a");
      s.io.of("/b");
      const manager = new Manager(s.url(), { forceNew: true, reconnection: false, autoConnect: false } as object);
      const a = manager.socket("/a");
      const b = manager.socket("/b");
      try {
        await connected(a.connect());
        await connected(b.connect());
        const gone = Promise.all([once(a, "disconnect"), once(b, "disconnect")]);
        for (const socket of s.io.of("/a").sockets.values()) socket.disconnect();
        for (const socket of s.io.of("/b").sockets.values()) socket.disconnect();
        await gone;
        b.on("ask", (n: number, ack: (m: number) => void) => ack(n * 2));
        const joined = once<[Socket]>(s.io.of("/b"), "connection");
        await connected(b.connect());
        const [socket] = await joined;
        const reply = await new Promise((resolve) => {
          socket.emit("ask", 2, resolve);
        });
        assert.equal(reply, 4);
        assert.equal(s.io.of("/b").sockets.size, 1);
      } finally {
        a.disconnect();
        b.disconnect();
        manager.engine?.close();
      }
    });
  });
}
