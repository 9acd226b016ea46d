import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { clientsUnderTest, connected, once, startServer, type TestServer } from "../support/server-harness.js";

const reconnecting = { reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 20, randomizationFactor: 0, transports: ["websocket"] };

for (const client of await clientsUnderTest()) {
  describe(`server: connection state recovery (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    it("restores id, rooms, data and the missed events after a transport drop, skipping middlewares", async () => {
      s = await startServer(client, { connectionStateRecovery: {} });
      let middlewareRuns = 0;
      s.io.use((_socket, next) => {
        middlewareRuns++;
        next();
      });
      const first = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect("/", reconnecting));
      const [socket] = await first;
      assert.equal(socket.recovered, false);
      socket.join("room");
      socket.data = { user: "ann" };

      const received: unknown[] = [];
      c.on("e", (v: unknown) => received.push(v));
      const firstEvent = once(c, "e");
      s.io.emit("e", 1);
      const args = await firstEvent;
      assert.equal(args.length, 2, "the event carries its offset as a last argument");
      assert.equal(typeof args[1], "string");

      const dropped = once<[string]>(socket, "disconnect");
      socket.conn.close();
      assert.equal((await dropped)[0], "forced close");
      // Missed while away: to everyone, to a room it was in, directly, and to a room it was not in.
      s.io.emit("e", 2);
      s.io.to("room").emit("e", 3);
      s.io.to(socket.id).emit("e", 4);
      s.io.to("elsewhere").emit("e", 5);
      s.io.volatile.emit("e", 6);

      const again = once<[Socket]>(s.io, "connection");
      await once(c, "connect");
      const [restored] = await again;
      assert.equal(c.recovered, true);
      assert.equal(restored.recovered, true);
      assert.equal(restored.id, socket.id);
      assert.equal(c.id, socket.id);
      assert.deepEqual(restored.data, { user: "ann" });
      assert.ok(restored.rooms.has("room"));
      assert.equal(middlewareRuns, 1);
      const marker = once(c, "marker");
      restored.emit("marker");
      await marker;
      assert.deepEqual(received, [1, 2, 3, 4]);
    });

    it("runs middlewares on recovery when skipMiddlewares is false", async () => {
      s = await startServer(client, { connectionStateRecovery: { skipMiddlewares: false } });
      let runs = 0;
      s.io.use((_socket, next) => {
        runs++;
        next();
      });
      const first = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect("/", reconnecting));
      const [socket] = await first;
      const seen = once(c, "e");
      s.io.emit("e", 1);
      await seen;
      socket.conn.close();
      const again = once<[Socket]>(s.io, "connection");
      await once(c, "connect");
      const [restored] = await again;
      assert.equal(restored.recovered, true);
      assert.equal(runs, 2);
    });

    it("does not keep the session of a socket that left on purpose", async () => {
      s = await startServer(client, { connectionStateRecovery: {} });
      const first = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect("/", reconnecting));
      const [socket] = await first;
      const seen = once(c, "e");
      s.io.emit("e", 1);
      await seen;
      const gone = once(c, "disconnect");
      socket.disconnect(); // "server namespace disconnect": not recoverable
      await gone;
      const again = once<[Socket]>(s.io, "connection");
      c.connect();
      const [fresh] = await again;
      assert.equal(fresh.recovered, false);
      assert.notEqual(fresh.id, socket.id);
    });

    it("without connectionStateRecovery a reconnecting client gets a new socket and no offsets", async () => {
      s = await startServer(client);
      const first = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect("/", reconnecting));
      const [socket] = await first;
      const seen = once(c, "e");
      s.io.emit("e", 1);
      assert.deepEqual(await seen, [1]);
      socket.conn.close();
      const again = once<[Socket]>(s.io, "connection");
      await once(c, "connect");
      const [fresh] = await again;
      assert.equal(fresh.recovered, false);
      assert.ok(!c.recovered);
      assert.notEqual(fresh.id, socket.id);
    });
  });
}
