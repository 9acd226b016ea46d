import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { clientsUnderTest, connected, once, startServer, type ClientSocket, type TestServer } from "../support/server-harness.js";

for (const client of await clientsUnderTest()) {
  describe(`server: broadcasting (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    /** n connected clients, each with its server-side socket. */
    async function many(n: number, opts = {}): Promise<Array<{ c: ClientSocket; socket: Socket }>> {
      s = await startServer(client, opts);
      const byId = new Map<string, Socket>();
      s.io.on("connection", (socket) => byId.set(socket.id, socket));
      const out: Array<{ c: ClientSocket; socket: Socket }> = [];
      for (let i = 0; i < n; i++) {
        const c = await connected(s.connect("/", { transports: ["websocket"] }));
        out.push({ c, socket: byId.get(c.id!)! });
      }
      return out;
    }

    /** Records every `event` each client gets, and resolves once a final marker reached all. */
    async function deliveries(clients: ClientSocket[], event: string, send: () => void): Promise<unknown[][]> {
      const got: unknown[][] = clients.map(() => []);
      clients.forEach((c, i) => c.on(event, (v: unknown) => got[i]!.push(v)));
      send();
      // Events on one connection arrive in order: once the marker is in, so is all before it.
      await Promise.all(clients.map((c) => once(c, "marker")));
      return got;
    }

    it("to() with several rooms reaches each member once; except() leaves rooms out", async () => {
      const [a, b, c, d] = await many(4);
      a!.socket.join(["r1", "r2"]);
      b!.socket.join("r2");
      c!.socket.join(["r1", "vip"]);
      const clients = [a!.c, b!.c, c!.c, d!.c];
      const got = await deliveries(clients, "news", () => {
        s.io.to("r1").to(["r2"]).emit("news", 1);
        s.io.to(["r1", "r2"]).except("vip").emit("news", 2);
        s.io.in("r2").emit("news", 3);
        s.io.except("r1").emit("news", 4);
        s.io.emit("marker");
      });
      assert.deepEqual(got, [[1, 2, 3], [1, 2, 3, 4], [1], [4]]);
    });

    it("local, volatile and compress broadcasts are delivered on one server", async () => {
      const [a, b] = await many(2);
      // Volatile first, on idle connections: right after another write the transport is busy
      // and a volatile packet is dropped, by design.
      const volatile = await deliveries([a!.c, b!.c], "f", () => {
        s.io.volatile.emit("f", "volatile");
        s.io.emit("marker");
      });
      assert.deepEqual(volatile, [["volatile"], ["volatile"]]);
      a!.c.off("f");
      b!.c.off("f");
      const got = await deliveries([a!.c, b!.c], "f", () => {
        s.io.local.emit("f", "local");
        s.io.compress(false).emit("f", "uncompressed");
        s.io.of("/").local.to(a!.socket.id).emit("f", "local-to-a");
        s.io.emit("marker");
      });
      assert.deepEqual(got, [["local", "uncompressed", "local-to-a"], ["local", "uncompressed"]]);
    });

    it("broadcast operators are immutable: a modifier never changes the operator it came from", async () => {
      const [a, b] = await many(2);
      a!.socket.join("x");
      const base = s.io.to("x");
      base.except("x");
      const got = await deliveries([a!.c, b!.c], "m", () => {
        base.emit("m", "to-x");
        s.io.emit("marker");
      });
      assert.deepEqual(got, [["to-x"], []]);
    });

    it("encodes a broadcast once, whatever the number of recipients", async () => {
      const peers = await many(3);
      const encode = s.io.encoder.encode.bind(s.io.encoder);
      let calls = 0;
      s.io.encoder.encode = (p: unknown) => {
        calls++;
        return encode(p);
      };
      await deliveries(peers.map((p) => p.c), "x", () => s.io.emit("marker", { big: "payload" }));
      s.io.encoder.encode = encode;
      assert.equal(calls, 1);
    });

    it("timeout().emit() collects one reply per recipient", async () => {
      const peers = await many(3);
      peers.forEach((p, i) => p.c.on("q", (cb: (v: number) => void) => cb(i)));
      const [err, replies] = await new Promise<[Error | null, number[]]>((resolve) =>
        s.io.timeout(5000).emit("q", (e: Error | null, r: number[]) => resolve([e, r])),
      );
      assert.equal(err, null);
      assert.deepEqual([...replies].sort(), [0, 1, 2]);
      const viaPromise = await s.io.timeout(5000).emitWithAck("q");
      assert.equal((viaPromise as number[]).length, 3);
    });

    it("on timeout the ack gets an Error and the partial replies", async () => {
      const peers = await many(3);
      peers[0]!.c.on("q", (cb: (v: string) => void) => cb("a"));
      peers[1]!.c.on("q", (cb: (v: string) => void) => cb("b"));
      peers[2]!.c.on("q", () => {}); // never answers
      const [err, replies] = await new Promise<[Error | null, string[]]>((resolve) =>
        s.io.timeout(300).emit("q", (e: Error | null, r: string[]) => resolve([e, r])),
      );
      assert.ok(err instanceof Error);
      assert.equal(err.message, "operation has timed out");
      assert.deepEqual([...replies].sort(), ["a", "b"]);
      await assert.rejects(s.io.timeout(50).emitWithAck("q"), /operation has timed out/);
    });

    it("an ack broadcast to no one completes at once with no replies", async () => {
      await many(1);
      const replies = await s.io.to("empty-room").timeout(5000).emitWithAck("q");
      assert.deepEqual(replies, []);
    });

    it("fetchSockets() returns the matching sockets with id, rooms, data and working actions", async () => {
      const [a, b] = await many(2);
      a!.socket.data = { name: "ann" };
      a!.socket.join("room");
      const found = await s.io.in("room").fetchSockets();
      assert.equal(found.length, 1);
      const remote = found[0]!;
      assert.equal(remote.id, a!.socket.id);
      assert.deepEqual(remote.data, { name: "ann" });
      assert.ok(remote.rooms.has("room"));
      assert.equal(remote.handshake.address, "127.0.0.1");
      const got = once(a!.c, "direct");
      remote.emit("direct", 1);
      assert.deepEqual(await got, [1]);
      remote.join("later");
      assert.ok(a!.socket.rooms.has("later"));
      remote.leave("later");
      assert.equal(a!.socket.rooms.has("later"), false);
      assert.equal((await s.io.fetchSockets()).length, 2);
      assert.deepEqual(await s.io.in("room").allSockets(), new Set([a!.socket.id]));
      const gone = once<[string]>(b!.socket, "disconnect");
      (await s.io.except("room").fetchSockets())[0]!.disconnect();
      assert.equal((await gone)[0], "server namespace disconnect");
    });

    it("socketsJoin, socketsLeave and disconnectSockets act on the matching sockets", async () => {
      const [a, b, c] = await many(3);
      a!.socket.join("g");
      b!.socket.join("g");
      s.io.in("g").socketsJoin(["h", "i"]);
      assert.deepEqual([...a!.socket.rooms].sort(), [a!.socket.id, "g", "h", "i"].sort());
      assert.equal(c!.socket.rooms.has("h"), false);
      s.io.in("h").except(a!.socket.id).socketsLeave("i");
      assert.equal(a!.socket.rooms.has("i"), true);
      assert.equal(b!.socket.rooms.has("i"), false);
      const aGone = once<[string]>(a!.c, "disconnect");
      const bGone = once<[string]>(b!.c, "disconnect");
      s.io.in("g").disconnectSockets();
      assert.equal((await aGone)[0], "io server disconnect");
      assert.equal((await bGone)[0], "io server disconnect");
      assert.equal(c!.socket.connected, true);
      const cGone = once<[string]>(c!.socket, "disconnect");
      s.io.disconnectSockets(true);
      assert.equal((await cGone)[0], "server namespace disconnect");
    });

    it("the adapter reports create-room, join-room, leave-room and delete-room", async () => {
      const [a] = await many(1);
      const events: string[] = [];
      const adapter = s.io.of("/").adapter;
      for (const ev of ["create-room", "join-room", "leave-room", "delete-room"]) {
        adapter.on(ev, (room: string, id?: string) => events.push(`${ev}:${room}${id ? ":" + (id === a!.socket.id ? "a" : id) : ""}`));
      }
      a!.socket.join("x");
      a!.socket.join("x");
      a!.socket.leave("x");
      assert.deepEqual(events, ["create-room:x", "join-room:x:a", "leave-room:x:a", "delete-room:x"]);
      events.length = 0;
      const gone = once(a!.socket, "disconnect");
      a!.c.disconnect();
      await gone;
      assert.deepEqual(events, [`leave-room:${a!.socket.id}:a`, `delete-room:${a!.socket.id}`]);
      assert.equal(adapter.rooms.size, 0);
      assert.equal(adapter.sids.size, 0);
    });

    it("serverSideEmit with an ack answers with no replies on a single server", async () => {
      await many(1);
      assert.deepEqual(await s.io.serverSideEmitWithAck("sync"), []);
      assert.equal(s.io.serverSideEmit("hello", 1), true);
      assert.throws(() => s.io.serverSideEmit("disconnect" as never), /reserved/);
    });

    it("namespaces broadcast only to their own sockets", async () => {
      s = await startServer(client);
      s.io.of("/a");
      s.io.of("/b");
      const a = await connected(s.connect("/a"));
      const b = await connected(s.connect("/b"));
      let bGot = false;
      b.on("hi", () => (bGot = true));
      const got = once(a, "hi");
      s.io.of("/a").emit("hi", "a");
      await got;
      const bMarker = once(b, "marker");
      s.io.of("/b").emit("marker");
      await bMarker;
      assert.equal(bGot, false);
    });
  });
}
