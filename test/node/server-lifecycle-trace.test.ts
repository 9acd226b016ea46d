// rtio's server and socket.io 4.8's through the same lives: every way a socket can leave, with
// socket.io-client 4.8 on "/" and "/chat" of one connection. The server-side events
// (`connection`, `disconnecting`, `disconnect`), their reasons, and the socket's rooms and
// `connected` when each fires must be the same, in the same order. Each step ends on events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { io as officialClient, type Socket as ClientSocket } from "socket.io-client";
import { next } from "../support/client-fixtures.js";
import { official, serverImpls, type RunningServer } from "../support/official-server.js";

type ServerSocket = Parameters<Parameters<RunningServer["io"]["on"]>[1]>[0];

interface Life {
  name: string;
  /** Server options; the default heartbeat is slow enough that no other life meets a ping timeout. */
  opts?: Record<string, unknown>;
  /** Makes both sockets leave; `a` is on "/", `b` on "/chat", and `server` has both server sides. */
  act(a: ClientSocket, b: ClientSocket, server: { io: RunningServer["io"]; a: ServerSocket; b: ServerSocket }): void;
}

const LIVES: Life[] = [
  {
    name: "the client leaves each namespace",
    act: (a, b) => {
      b.disconnect();
      a.disconnect();
    },
  },
  { name: "the server disconnects each namespace", act: (_a, _b, s) => (s.b.disconnect(), s.a.disconnect()) },
  { name: "the server disconnects one with close = true", act: (_a, _b, s) => s.b.disconnect(true) },
  { name: "the server closes the connection", act: (_a, _b, s) => s.a.conn.close() },
  { name: "the client closes its engine", act: (a) => a.io.engine.close() },
  {
    name: "the client stops answering pings",
    opts: { pingInterval: 100, pingTimeout: 300 },
    act: (a) => {
      // Its transport passes nothing on any more, pings included.
      a.io.engine.transport.removeAllListeners("packet");
    },
  },
  { name: "the server shuts down", act: (_a, _b, s) => void s.io.close() },
];

/** One life on a fresh server: the server-side events of both namespaces, in order. */
async function live(start: (typeof official)["start"], life: Life, transports: string[]): Promise<string[]> {
  const server = await start(life.opts);
  const trace: string[] = [];
  const sides: Record<string, ServerSocket> = {};
  let left = 0;
  let allLeft: () => void = () => {};
  const bothLeft = new Promise<void>((resolve) => (allLeft = resolve));
  for (const nsp of ["/", "/chat"]) {
    server.io.of(nsp).on("connection", (socket: ServerSocket) => {
      sides[nsp] = socket;
      trace.push(`${nsp} connection`);
      socket.on("disconnecting", (reason: string) => trace.push(`${nsp} disconnecting "${reason}" rooms ${socket.rooms.size} connected ${socket.connected}`));
      socket.on("disconnect", (reason: string) => {
        trace.push(`${nsp} disconnect "${reason}" rooms ${socket.rooms.size} connected ${socket.connected}`);
        if (++left === 2) allLeft();
      });
      socket.join("room");
    });
  }
  const a = officialClient(server.url, { forceNew: true, transports, reconnection: false });
  const b = a.io.socket("/chat");
  try {
    b.connect();
    await Promise.all([next(a, "connect"), next(b, "connect")]);
    if (transports.length > 1) {
      // Both ends on WebSocket: the client switches when it sends its upgrade packet, the
      // server when that packet arrives.
      const conn = sides["/"]!.conn;
      await Promise.all([
        a.io.engine.transport.name === "websocket" || next(a.io.engine, "upgrade"),
        conn.transport.name === "websocket" || next(conn, "upgrade"),
      ]);
    }
    life.act(a, b, { io: server.io, a: sides["/"]!, b: sides["/chat"]! });
    await Promise.race([
      bothLeft,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`both sockets had not left within 20 s: ${trace.join(" | ")}`)), 20_000).unref()),
    ]);
    return trace;
  } finally {
    a.close();
    b.close();
    await server.close();
  }
}

const rtio = (await serverImpls()).find((impl) => impl !== official)!;

describe("server life, rtio's server against socket.io 4.8's (socket.io-client 4.8 on two namespaces)", { timeout: 120_000 }, () => {
  for (const transports of [["websocket"], ["polling", "websocket"], ["polling"]]) {
    for (const life of LIVES) {
      it(`${life.name}, over ${transports.join(" then ")}`, async () => {
        const ours = await live(rtio.start, life, transports);
        const theirs = await live(official.start, life, transports);
        assert.deepEqual(ours, theirs);
        assert.equal(ours.filter((t) => t.includes(" disconnect ")).length, 2);
      });
    }
  }
});
