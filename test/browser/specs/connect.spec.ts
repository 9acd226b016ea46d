// Connecting over each transport, the upgrade, and two namespaces on one engine connection.
import { call, connected, describe, equal, it, next, ok, whoami, type SpecFile } from "./support.js";

export const connectSpecs: SpecFile = (ctx) => {
  describe("connect", () => {
    it("connects over long-polling only", async () => {
      const socket = await connected(ctx.open("/", { transports: ["polling"] }));
      ok(socket.id, "a socket id after connect");
      equal(socket.io.engine.transport.name, "polling");
      const me = await whoami(socket);
      equal(me.transport, "polling");
      equal(me.id, socket.id, "the server sees the same socket id");
    });

    it("connects over WebSocket only", async () => {
      const socket = await connected(ctx.open("/", { transports: ["websocket"] }));
      equal(socket.io.engine.transport.name, "websocket");
      equal((await whoami(socket)).transport, "websocket");
    });

    it("starts on polling and upgrades to WebSocket", async () => {
      const socket = ctx.open("/");
      // autoConnect opens the engine inside io(), so its events can be awaited from here.
      ok(socket.io.engine, "an engine right after io()");
      const upgraded = next(socket.io.engine, "upgrade");
      await connected(socket);
      await upgraded;
      equal(socket.io.engine.transport.name, "websocket");
      equal((await whoami(socket)).transport, "websocket");
      equal(await call(socket, "echo", "after upgrade"), "after upgrade");
    });

    it("stays on polling with upgrade: false", async () => {
      const socket = await connected(ctx.open("/", { upgrade: false }));
      equal(await call(socket, "echo", 1), 1, "a round trip after connect");
      equal(socket.io.engine.transport.name, "polling");
      equal((await whoami(socket)).transport, "polling");
    });

    it("multiplexes two namespaces over one engine connection", async () => {
      const manager = ctx.manager();
      const main = ctx.track(manager.socket("/"));
      const second = ctx.track(manager.socket("/second"));
      await Promise.all([connected(main), connected(second)]);
      const [a, b] = await Promise.all([whoami(main), whoami(second)]);
      equal(a.engineId, b.engineId, "both namespaces on one engine connection");
      equal(a.engineId, manager.engine.id, "the client's engine id");
      ok(a.id !== b.id, "each namespace has its own socket id");
      equal(await call(second, "echo", "second"), "second");
    });

    it("disconnects with reason 'io client disconnect'", async () => {
      const socket = await connected(ctx.open("/"));
      const reason = next<[string]>(socket, "disconnect");
      socket.disconnect();
      equal((await reason)[0], "io client disconnect");
      equal(socket.connected, false);
    });
  });
};
