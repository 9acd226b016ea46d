import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Socket } from "../../src/server/index.js";
import { clientsUnderTest, connected, once, startServer, type TestServer } from "../support/server-harness.js";

for (const client of await clientsUnderTest()) {
  describe(`server: connection and namespaces (${client.name})`, { timeout: 20_000 }, () => {
    let s: TestServer;
    afterEach(() => s?.close());

    it("connects to the main namespace with the same id on both sides and a full handshake", async () => {
      s = await startServer(client);
      const serverSide = once<[Socket]>(s.io, "connection");
      const c = s.connect("/", { auth: { token: "abc" }, query: { q: "1" } });
      const [socket] = await serverSide;
      await connected(c);
      assert.equal(c.id, socket.id);
      assert.equal(socket.connected, true);
      assert.deepEqual(socket.handshake.auth, { token: "abc" });
      assert.equal(socket.handshake.query.q, "1");
      assert.equal(socket.handshake.address, "127.0.0.1");
      assert.equal(socket.handshake.secure, false);
      assert.equal(typeof socket.handshake.issued, "number");
      assert.match(socket.handshake.url, /^\/socket\.io\/\?/);
      assert.ok(socket.handshake.headers.host);
      assert.equal(socket.request.headers.host, socket.handshake.headers.host);
      assert.deepEqual([...socket.rooms], [socket.id]);
      assert.equal(s.io.sockets.sockets.get(socket.id), socket);
      assert.equal(socket.conn.readyState, "open");
    });

    it("connects to a custom namespace and keeps it apart from '/'", async () => {
      s = await startServer(client);
      const chat = s.io.of("/chat");
      assert.equal(s.io.of("chat"), chat);
      const seen = once<[Socket]>(chat, "connection");
      const c = s.connect("/chat");
      const [socket] = await seen;
      await connected(c);
      assert.equal(socket.nsp, chat);
      assert.equal(chat.sockets.size, 1);
      assert.equal(s.io.sockets.sockets.size, 0);
    });

    it("answers a CONNECT to an unknown namespace with 'Invalid namespace'", async () => {
      s = await startServer(client);
      const c = s.connect("/nope");
      const [err] = await once<[Error]>(c, "connect_error");
      assert.equal(err.message, "Invalid namespace");
    });

    it("runs connection middlewares in order; next(err) sends the message and data", async () => {
      s = await startServer(client);
      const order: string[] = [];
      s.io.use((socket, next) => {
        order.push("first");
        socket.data.user = "ann";
        next();
      });
      s.io.use((socket, next) => {
        order.push("second");
        if (socket.handshake.auth.token !== "ok") {
          const err = new Error("not authorized") as Error & { data?: unknown };
          err.data = { content: "please retry later" };
          return next(err);
        }
        next();
      });
      const bad = s.connect("/", { auth: { token: "no" } });
      const [err] = await once<[Error & { data?: unknown }]>(bad, "connect_error");
      assert.equal(err.message, "not authorized");
      assert.deepEqual(err.data, { content: "please retry later" });
      assert.equal(s.io.sockets.sockets.size, 0);
      const serverSide = once<[Socket]>(s.io, "connection");
      await connected(s.connect("/", { auth: { token: "ok" } }));
      const [socket] = await serverSide;
      assert.equal(socket.data.user, "ann");
      assert.deepEqual(order, ["first", "second", "first", "second"]);
    });

    it("creates child namespaces from a RegExp, with the parent's middlewares and listeners", async () => {
      s = await startServer(client);
      const parent = s.io.of(/^\/room-\d+$/);
      parent.use((socket, next) => {
        socket.data.checked = true;
        next();
      });
      const seen = once<[Socket]>(parent, "connection");
      const newNsp = once<[{ name: string }]>(s.io, "new_namespace");
      const c = s.connect("/room-42");
      const [socket] = await seen;
      await connected(c);
      assert.equal(socket.nsp.name, "/room-42");
      assert.equal(socket.data.checked, true);
      assert.equal((await newNsp)[0].name, "/room-42");
      const got = once<[string]>(c, "hi");
      parent.emit("hi", "from parent");
      assert.deepEqual(await got, ["from parent"]);
      assert.equal((await parent.fetchSockets()).length, 1);
      assert.deepEqual(await parent.allSockets(), new Set([socket.id]));
      parent.socketsJoin("joined-through-parent");
      assert.ok(socket.rooms.has("joined-through-parent"));
      parent.socketsLeave("joined-through-parent");
      assert.equal(socket.rooms.has("joined-through-parent"), false);
      const other = s.connect("/room-x");
      assert.equal((await once<[Error]>(other, "connect_error"))[0].message, "Invalid namespace");
      const gone = once<[string]>(c, "disconnect");
      parent.disconnectSockets();
      assert.equal((await gone)[0], "io server disconnect");
    });

    it("creates child namespaces from a function that sees the auth payload", async () => {
      s = await startServer(client);
      const parent = s.io.of((name, auth, next) => next(null, name.startsWith("/dyn-") && auth.allowed === true));
      const seen = once<[Socket]>(parent, "connection");
      const c = s.connect("/dyn-1", { auth: { allowed: true } });
      const [socket] = await seen;
      await connected(c);
      assert.equal(socket.nsp.name, "/dyn-1");
      const refused = s.connect("/dyn-2", { auth: { allowed: false } });
      assert.equal((await once<[Error]>(refused, "connect_error"))[0].message, "Invalid namespace");
    });

    it("removes empty child namespaces with cleanupEmptyChildNamespaces", async () => {
      s = await startServer(client, { cleanupEmptyChildNamespaces: true });
      const parent = s.io.of(/^\/tmp-\d+$/);
      const seen = once<[Socket]>(parent, "connection");
      const c = s.connect("/tmp-1");
      const [socket] = await seen;
      await connected(c);
      assert.ok(s.io._nsps.has("/tmp-1"));
      const gone = once(socket, "disconnect");
      c.disconnect();
      assert.deepEqual(await gone, ["client namespace disconnect", undefined]);
      assert.equal(s.io._nsps.has("/tmp-1"), false);
    });

    it("disconnect reasons: server namespace disconnect (also with close), client namespace disconnect", async () => {
      s = await startServer(client);
      const sockets: Socket[] = [];
      s.io.on("connection", (socket) => sockets.push(socket));
      const a = await connected(s.connect());
      const b = await connected(s.connect());
      const c = await connected(s.connect());
      const [sa, sb, sc] = sockets;
      const gotA = once(sa!, "disconnect");
      const clientA = once<[string]>(a, "disconnect");
      sa!.disconnect();
      assert.equal((await gotA)[0], "server namespace disconnect");
      assert.equal((await clientA)[0], "io server disconnect");

      const gotB = once(sb!, "disconnect");
      b.disconnect();
      assert.equal((await gotB)[0], "client namespace disconnect");

      const disconnecting = once<[string]>(sc!, "disconnecting");
      let roomsWhileDisconnecting: string[] = [];
      sc!.join("lobby");
      sc!.on("disconnecting", () => (roomsWhileDisconnecting = [...sc!.rooms]));
      const gotC = once(sc!, "disconnect");
      const clientC = once<[string]>(c, "disconnect");
      sc!.disconnect(true);
      // As in socket.io: disconnect(true) sends DISCONNECT first, then closes the connection.
      assert.equal((await disconnecting)[0], "server namespace disconnect");
      assert.equal((await gotC)[0], "server namespace disconnect");
      assert.deepEqual(roomsWhileDisconnecting.sort(), [sc!.id, "lobby"].sort());
      assert.deepEqual([...sc!.rooms], []);
      assert.equal((await clientC)[0], "io server disconnect");
      assert.equal(c.io.engine.readyState === "open", false);
    });

    it("reports 'transport close' when the client's connection goes away", async () => {
      s = await startServer(client);
      const seen = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect());
      const [socket] = await seen;
      const gone = once<[string]>(socket, "disconnect");
      c.io.engine.close();
      assert.equal((await gone)[0], "transport close");
    });

    it("disconnects every socket with 'server shutting down' on close()", async () => {
      s = await startServer(client);
      const seen = once<[Socket]>(s.io, "connection");
      const c = await connected(s.connect());
      const [socket] = await seen;
      const gone = once<[string]>(socket, "disconnect");
      const clientGone = once<[string]>(c, "disconnect");
      await s.io.close();
      assert.equal((await gone)[0], "server shutting down");
      assert.ok(["transport close", "transport error"].includes((await clientGone)[0]));
    });

    it("joins several namespaces over one connection", async () => {
      s = await startServer(client);
      const main = await connected(s.connect("/"));
      s.io.of("/admin");
      const admin = client.io(s.url("/admin"), { reconnection: false, forceNew: false });
      s.clients.push(admin);
      await connected(admin);
      // Both go over one engine.io connection only when the Manager is shared.
      assert.ok(s.io.of("/admin").sockets.size === 1);
      assert.ok(main.connected);
    });
  });
}
