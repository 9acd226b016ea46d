// Connecting: transports, namespaces sharing a connection, auth and query, refused connects
// and the disconnect reasons. Each spec runs against every available server.
import assert from "node:assert/strict";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { ClientError, io } from "../../src/client/index.js";
import { Fixture, next } from "../support/client-fixtures.js";
import { serverImpls } from "../support/official-server.js";

for (const impl of await serverImpls()) {
  describe(`client connect (${impl.name})`, () => {
    let f: Fixture;
    beforeEach(async () => {
      f = new Fixture(impl);
      await f.start();
    });
    afterEach(() => f.end());

    for (const transports of [["polling"], ["websocket"]] as const) {
      it(`connects over ${transports[0]} only`, async () => {
        const socket = f.client("/", { transports: [...transports] });
        const [serverSocket] = await next(f.server.io, "connection");
        await next(socket, "connect");
        assert.equal(socket.connected, true);
        assert.equal(socket.id, serverSocket.id);
        assert.equal(socket.io.engine.transport.name, transports[0]);
      });
    }

    it("upgrades from polling to websocket", async () => {
      const socket = f.client("/");
      const opened = next(socket.io, "open").then(() => socket.io.engine.transport.name);
      const upgraded = next(socket.io.engine, "upgrade");
      assert.equal(await opened, "polling");
      await upgraded;
      assert.equal(socket.io.engine.transport.name, "websocket");
    });

    it("shares one engine between two namespaces of io()'s cache", async () => {
      f.server.io.of("/chat");
      const a = f.track(io(f.server.url, { transports: ["websocket"] }));
      const b = f.track(io(f.server.url + "/chat", { transports: ["websocket"] }));
      await Promise.all([next(a, "connect"), next(b, "connect")]);
      assert.equal(a.io, b.io);
      const sa = f.server.io.of("/").sockets.get(a.id!)!;
      const sb = f.server.io.of("/chat").sockets.get(b.id!)!;
      assert.equal(sa.conn, sb.conn, "one engine connection on the server too");
      b.disconnect();
      assert.equal(a.connected, true, "closing one namespace keeps the shared connection");
    });

    it("makes a new Manager for forceNew, multiplex: false and a namespace already in the cache", async () => {
      const a = f.track(io(f.server.url, { autoConnect: false }));
      const b = f.track(io(f.server.url, { autoConnect: false }));
      const c = f.track(io(f.server.url + "/x", { autoConnect: false, multiplex: false }));
      const d = f.track(io(f.server.url + "/y", { autoConnect: false }));
      assert.notEqual(a.io, b.io);
      assert.notEqual(c.io, a.io);
      assert.equal(d.io, a.io);
    });

    it("sends auth (object and function) and query", async () => {
      const seen: unknown[] = [];
      f.server.io.use((socket, next) => {
        seen.push([socket.handshake.auth, socket.handshake.query.room]);
        next();
      });
      const a = f.client("/?room=blue", { auth: { token: "abc" } });
      await next(a, "connect");
      let calls = 0;
      const b = f.client("/", { auth: (cb) => cb({ token: `fresh-${++calls}` }), query: { room: "red" } });
      await next(b, "connect");
      assert.deepEqual(seen, [
        [{ token: "abc" }, "blue"],
        [{ token: "fresh-1" }, "red"],
      ]);
    });

    it("gets connect_error with the middleware's message and data, and does not reconnect the namespace", async () => {
      f.server.io.use((_socket, next) => {
        const err = new Error("not authorized") as Error & { data?: unknown };
        err.data = { reason: "token expired" };
        next(err);
      });
      const socket = f.client("/");
      const [err] = await next(socket, "connect_error");
      assert.ok(err instanceof ClientError);
      assert.equal(err.code, "CONNECT_REFUSED");
      assert.equal(err.message, "not authorized");
      assert.deepEqual((err as Error & { data?: unknown }).data, { reason: "token expired" });
      assert.equal(socket.active, false);
      assert.equal(socket.connected, false);
    });

    it("refuses reserved event names", () => {
      const socket = f.client("/", { autoConnect: false });
      for (const name of ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]) {
        assert.throws(() => socket.emit(name), { message: `"${name}" is a reserved event name` });
      }
    });

    it("reports io client disconnect, and the server sees client namespace disconnect", async () => {
      const socket = f.client("/");
      const [serverSocket] = await next(f.server.io, "connection");
      await next(socket, "connect");
      const serverSide = next(serverSocket, "disconnect");
      const clientSide = next(socket, "disconnect");
      socket.disconnect();
      assert.deepEqual((await clientSide).slice(0, 1), ["io client disconnect"]);
      assert.equal((await serverSide)[0], "client namespace disconnect");
      assert.equal(socket.active, false);
      assert.equal(socket.id, undefined);
    });

    it("reports io server disconnect and does not reconnect", async () => {
      const socket = f.client("/", { reconnectionDelay: 1, reconnectionDelayMax: 1 });
      const [serverSocket] = await next(f.server.io, "connection");
      await next(socket, "connect");
      let attempts = 0;
      socket.io.on("reconnect_attempt", () => attempts++);
      const disconnected = next(socket, "disconnect");
      serverSocket.disconnect();
      assert.equal((await disconnected)[0], "io server disconnect");
      assert.equal(socket.active, false);
      assert.equal(socket.io._readyState, "closed");
      assert.equal(attempts, 0);
    });

    it("reports transport close when the server goes away, then reconnects to a restarted server", async () => {
      const socket = f.client("/", { transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 50, randomizationFactor: 0 });
      await next(socket, "connect");
      const port = f.server.port;
      const firstId = socket.id;
      const disconnected = next(socket, "disconnect");
      await f.server.close();
      assert.equal((await disconnected)[0], "transport close");
      assert.equal(socket.active, true, "still trying to reconnect");
      const reconnected = next(socket.io, "reconnect");
      await f.start({}, port);
      await next(socket, "connect");
      assert.ok((await reconnected)[0] >= 1);
      assert.notEqual(socket.id, firstId);
    });

    it("reports parse error on a malformed packet and reconnects", async () => {
      const socket = f.client("/", { transports: ["websocket"], reconnectionDelay: 10, reconnectionDelayMax: 10 });
      const [peer] = await next(f.server.io, "connection");
      if (!socket.connected) await next(socket, "connect");
      const disconnected = next(socket, "disconnect");
      peer.conn.write("9 not a socket.io packet");
      assert.equal((await disconnected)[0], "parse error");
      await next(socket, "connect");
    });

    it("fails connect with the timeout error when the server does not answer in time", async () => {
      const socket = f.client("/", { timeout: 1, reconnection: false, transports: ["polling"] });
      const [err] = await next(socket, "connect_error");
      assert.equal(err.message, "timeout");
      assert.equal(err.code, "CONNECT_TIMEOUT");
    });
  });
}

after(() => {
  // Nothing global to close: every Fixture closed its servers and clients.
});
