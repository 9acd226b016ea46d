// Older socket.io releases on either side: 4.0 (engine.io 5), 4.4 (engine.io 6.1), 4.7 (with
// connection state recovery, as 4.8) and 3.1, which speaks the same protocol v5. Deployed apps
// keep old clients long after their server moves, so "4.x" means every minor, not only 4.8:
// each old socket.io-client runs the same specs against the rtio server, and rtio's client
// against each old socket.io server. socket.io-client 2.x, at the end, gets in with `allowEIO3`.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Server as OfficialServer } from "socket.io";
import { io as rtioClient } from "../../src/client/index.js";
import { Server as RtioServer } from "../../src/server/index.js";
import { next } from "../support/client-fixtures.js";
import { impl, type RunningServer } from "../support/official-server.js";

// The few members the specs use, common to every version on both sides.
interface AnySocket {
  id?: string;
  connected: boolean;
  recovered?: boolean;
  io: { engine: { transport: { name: string }; on(ev: string, fn: (...a: any[]) => void): unknown; once(ev: string, fn: (...a: any[]) => void): unknown; close(): void } };
  on(ev: string, fn: (...a: any[]) => void): unknown;
  once(ev: string, fn: (...a: any[]) => void): unknown;
  emit(ev: string, ...args: any[]): unknown;
  close(): unknown;
}
type ClientFn = (url: string, opts: Record<string, unknown>) => AnySocket;
type ServerCtor = new (http: ReturnType<typeof createServer>, opts?: Record<string, unknown>) => any;

const OLD = [
  { version: "3.1", client: "socket.io-client-3.1", server: "socket.io-3.1", recovery: false },
  { version: "4.0", client: "socket.io-client-4.0", server: "socket.io-4.0", recovery: false },
  { version: "4.4", client: "socket.io-client-4.4", server: "socket.io-4.4", recovery: false },
  { version: "4.7", client: "socket.io-client-4.7", server: "socket.io-4.7", recovery: true },
] as const;

const PAIRS: Array<{ name: string; Server: ServerCtor; client: ClientFn; recovery: boolean }> = [];
for (const old of OLD) {
  const client = ((await import(old.client)) as { io: ClientFn }).io;
  const Server = ((await import(old.server)) as { Server: ServerCtor }).Server;
  PAIRS.push({ name: `socket.io-client ${old.version} against the rtio server`, Server: RtioServer as unknown as ServerCtor, client, recovery: old.recovery });
  PAIRS.push({ name: `rtio's client against a socket.io ${old.version} server`, Server, client: rtioClient as unknown as ClientFn, recovery: old.recovery });
}

/** The byte length of a Buffer, ArrayBuffer or typed array, whichever a client gave back. */
function byteLength(value: unknown): number | undefined {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? value.byteLength : undefined;
}

/** Resolves once `count` events `event` came, with their first arguments in order. */
function collect(socket: AnySocket, event: string, count: number): Promise<unknown[]> {
  const seen: unknown[] = [];
  return new Promise((resolve) => {
    socket.on(event, (value: unknown) => {
      if (seen.push(value) === count) resolve(seen);
    });
  });
}

for (const pair of PAIRS) {
  describe(pair.name, { timeout: 120_000 }, () => {
    let running: RunningServer;
    let server: any;
    let url: string;
    const clients: AnySocket[] = [];
    const implementation = impl(pair.name, pair.Server as never);

    async function start(opts: Record<string, unknown> = {}): Promise<void> {
      running = await implementation.start(opts);
      ({ io: server, url } = running);
      server.on("connection", (socket: any) => {
        socket.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
        socket.on("join", (room: string, ack: () => void) => {
          socket.join(room);
          ack();
        });
        socket.on("burst", (n: number) => {
          // Long and short packets mixed, so that polling payloads carry several of each.
          for (let i = 0; i < n; i++) socket.emit("seq", i, "x".repeat(i % 7 === 0 ? 3000 : 10));
        });
        socket.on("kick", () => socket.disconnect(true));
      });
    }

    function client(nsp = "/", opts: Record<string, unknown> = {}): AnySocket {
      const socket = pair.client(url + nsp, { forceNew: true, reconnection: false, ...opts });
      clients.push(socket);
      return socket;
    }

    const stop = (): Promise<void> => running.close();

    /** The server again, with these options. */
    async function restart(opts: Record<string, unknown>): Promise<void> {
      await stop();
      await start(opts);
    }

    beforeEach(() => start());
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await stop();
    });

    for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
      it(`connects over ${transports.join(" then ")}, with auth and query, and emits and acks binary both ways`, async () => {
        const socket = client("/", { transports, auth: { token: "t1" }, query: { room: "r" } });
        const [[serverSocket]] = await Promise.all([next(server, "connection"), next(socket, "connect")]);
        assert.equal(socket.id, serverSocket.id);
        assert.deepEqual(serverSocket.handshake.auth, { token: "t1" });
        assert.equal(serverSocket.handshake.query.room, "r");

        const echoed = await new Promise<unknown[]>((resolve) => socket.emit("echo", "a", { file: Buffer.from([1, 2, 3]) }, 7, (...args: unknown[]) => resolve(args)));
        assert.equal(echoed[0], "a");
        assert.equal(byteLength((echoed[1] as { file: unknown }).file), 3);
        assert.equal(echoed[2], 7);

        socket.on("ask", (n: number, bytes: unknown, ack: (...a: unknown[]) => void) => ack(n + 1, bytes));
        const answer = await new Promise<unknown[]>((resolve) => serverSocket.emit("ask", 1, Buffer.from([4, 5]), (...args: unknown[]) => resolve(args)));
        assert.equal(answer[0], 2);
        assert.equal(byteLength(answer[1]), 2);

        if (transports.length === 2 && socket.io.engine.transport.name !== "websocket") await next(socket.io.engine, "upgrade");
        assert.equal(socket.io.engine.transport.name, transports.at(-1));
        const reason = next(socket, "disconnect");
        socket.emit("kick");
        assert.equal((await reason)[0], "io server disconnect");
      });
    }

    for (const transport of ["polling", "websocket"]) {
      it(`keeps the order of 300 server emits of mixed sizes over ${transport}`, async () => {
        const socket = client("/", { transports: [transport] });
        await next(socket, "connect");
        const seq = collect(socket, "seq", 300);
        socket.emit("burst", 300);
        assert.deepEqual(await seq, Array.from({ length: 300 }, (_, i) => i));
      });
    }

    it("answers heartbeats, so a connection outlives many ping intervals", async () => {
      await restart({ pingInterval: 50, pingTimeout: 10_000 });
      const socket = client("/", { transports: ["websocket"] });
      await next(socket, "connect");
      let pings = 0;
      await new Promise<void>((resolve) =>
        socket.io.engine.on("packet", (packet: { type: string }) => {
          if (packet.type === "ping" && ++pings === 5) resolve();
        }),
      );
      assert.equal(socket.connected, true);
    });

    it("refuses a namespace through middleware with the error's message and data", async () => {
      server.of("/guarded").use((_socket: unknown, next: (err: Error) => void) => next(Object.assign(new Error("not allowed"), { data: { code: 42 } })));
      const [err] = await next(client("/guarded"), "connect_error");
      assert.equal(err.message, "not allowed");
      assert.deepEqual(err.data, { code: 42 });
    });

    it("delivers a room broadcast with binary", async () => {
      const socket = client("/", { transports: ["websocket"] });
      await next(socket, "connect");
      await new Promise((resolve) => socket.emit("join", "room1", resolve));
      const got = next(socket, "news");
      server.to("room1").emit("news", { n: 1, bytes: Buffer.from("abcd") });
      const [news] = await got;
      assert.equal(news.n, 1);
      assert.equal(byteLength(news.bytes), 4);
    });

    it("reconnects after the connection drops", async () => {
      const socket = client("/", { transports: ["websocket"], reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 20 });
      await next(socket, "connect");
      const first = socket.id;
      const dropped = next(socket, "disconnect");
      for (const s of server.of("/").sockets.values()) s.conn.close();
      assert.equal((await dropped)[0], "transport close");
      await next(socket, "connect");
      assert.equal(socket.connected, true);
      assert.notEqual(socket.id, first);
    });

    if (pair.recovery) {
      it("recovers the session and the events missed while disconnected", async () => {
        await restart({ connectionStateRecovery: {} });
        const socket = client("/", { transports: ["websocket"], reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 20 });
        const seen = collect(socket, "tick", 3);
        await next(socket, "connect");
        const id = socket.id;
        // The first event must be in before the drop: its offset is what the client offers.
        const firstIn = next(socket, "tick");
        server.emit("tick", 1);
        await firstIn;
        const dropped = next(socket, "disconnect");
        socket.io.engine.close();
        await dropped;
        server.emit("tick", 2);
        server.emit("tick", 3);
        await next(socket, "connect");
        assert.equal(socket.recovered, true);
        assert.equal(socket.id, id);
        assert.deepEqual(await seen, [1, 2, 3]);
      });
    }
  });
}

// socket.io-client 2.x (Engine.IO v3, Socket.IO protocol v4) reaches a 4.x server only with
// `allowEIO3`: the path socket.io documents for moving a live app off 2.x. Its specs run on the
// rtio server and, as the reference, on socket.io 4.8's.
const v2Client = createRequire(import.meta.url)("socket.io-client-2") as ClientFn;
for (const [name, Server] of [
  ["rtio", RtioServer],
  ["socket.io 4.8", OfficialServer],
] as Array<[string, ServerCtor]>) {
  describe(`socket.io-client 2.5 against the ${name} server with allowEIO3`, { timeout: 120_000 }, () => {
    let running: RunningServer;
    let server: any;
    let url: string;
    const clients: AnySocket[] = [];

    beforeEach(async () => {
      running = await impl(name, Server as never).start({ allowEIO3: true, pingInterval: 50, pingTimeout: 10_000 });
      ({ io: server, url } = running);
      server.of("/guarded").use((_socket: unknown, next: (err: Error) => void) => next(Object.assign(new Error("not allowed"), { data: { code: 42 } })));
      const onConnection = (socket: any): void => {
        socket.on("echo", (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
        socket.on("kick", () => socket.disconnect(true));
        socket.emit("hello", socket.nsp.name, socket.handshake.query.room);
      };
      server.on("connection", onConnection);
      server.of("/chat").on("connection", onConnection);
    });
    afterEach(async () => {
      for (const c of clients.splice(0)) c.close();
      await running.close();
    });

    function client(nsp: string, opts: Record<string, unknown>): AnySocket {
      const socket = v2Client(url + nsp, { forceNew: true, reconnection: false, ...opts });
      clients.push(socket);
      return socket;
    }

    for (const [nsp, transports] of [
      ["/", ["polling"]],
      ["/", ["websocket"]],
      ["/chat", ["polling", "websocket"]],
    ] as const) {
      it(`joins ${nsp} over ${transports.join(" then ")} with its query, acks binary both ways, keeps heartbeats, and is kicked`, async () => {
        const socket = client(nsp, { transports, query: { room: "r" } });
        const [hello] = await Promise.all([next(socket, "hello"), next(socket, "connect")]);
        assert.deepEqual(hello, [nsp, "r"]);

        const echoed = await new Promise<unknown[]>((resolve) => socket.emit("echo", "a", { file: Buffer.from([1, 2, 3]) }, 7, (...args: unknown[]) => resolve(args)));
        assert.deepEqual([echoed[0], byteLength((echoed[1] as { file: unknown }).file), echoed[2]], ["a", 3, 7]);

        // A 2.x client makes up its id from the engine's; the server must use the same one.
        const serverSocket = server.of(nsp).sockets.get(socket.id);
        assert.ok(serverSocket, `no socket ${socket.id} on the server's ${nsp}`);
        socket.on("ask", (n: number, bytes: unknown, ack: (...a: unknown[]) => void) => ack(n + 1, bytes));
        const answer = await new Promise<unknown[]>((resolve) => serverSocket.emit("ask", 1, Buffer.from([4, 5]), (...args: unknown[]) => resolve(args)));
        assert.deepEqual([answer[0], byteLength(answer[1])], [2, 2]);

        // Engine.IO v3 clients send the pings; three answered pongs mean the server keeps time.
        let pongs = 0;
        await new Promise<void>((resolve) =>
          (socket as unknown as { io: AnySocket }).io.on("pong", () => {
            if (++pongs === 3) resolve();
          }),
        );

        const reason = next(socket, "disconnect");
        socket.emit("kick");
        assert.equal((await reason)[0], "io server disconnect");
      });
    }

    it("multiplexes two namespaces, gets room broadcasts, reconnects both, and leaves with socket.io's reasons", async () => {
      const manager = (v2Client as unknown as { Manager(url: string, opts: object): any }).Manager(url, { transports: ["websocket"], reconnectionDelay: 20, reconnectionDelayMax: 20 });
      const main: AnySocket = manager.socket("/");
      const chat: AnySocket = manager.socket("/chat");
      clients.push(main, chat);
      const left = new Map<string, string>();
      const allLeft = new Promise<void>((resolve) => {
        for (const nsp of ["/", "/chat"]) {
          server.of(nsp).on("connection", (socket: any) =>
            socket.on("disconnect", (reason: string) => {
              if (reason !== "forced close" && left.set(nsp, reason).size === 2) resolve();
            }),
          );
        }
      });
      await Promise.all([next(main, "connect"), next(chat, "connect")]);
      assert.equal(chat.id, "/chat#" + main.id);
      server.of("/chat").sockets.get(chat.id).join("room");
      const news = next(chat, "news");
      server.of("/chat").to("room").emit("news", 1, Buffer.from([7]));
      const [n, bytes] = await news;
      assert.deepEqual([n, byteLength(bytes)], [1, 1]);

      const back = Promise.all([next(main, "reconnect"), next(chat, "reconnect")]);
      for (const socket of server.of("/").sockets.values()) socket.conn.close();
      await back;
      await Promise.all([main, chat].map((socket) => socket.connected || next(socket, "connect")));
      assert.ok(server.of("/chat").sockets.get(chat.id), "the namespace joined again after the reconnection");

      (chat as unknown as { disconnect(): void }).disconnect();
      (main as unknown as { disconnect(): void }).disconnect();
      await allLeft;
      assert.deepEqual(Object.fromEntries(left), { "/": "client namespace disconnect", "/chat": "client namespace disconnect" });
    });

    it("gets a refusing middleware's data as its error event, as socket.io 2.x did", async () => {
      const [data] = await next(client("/guarded", {}), "error");
      assert.deepEqual(data, { code: 42 });
    });
  });
}
