// The connect storm's polling-then-upgrade client against real servers, rtio's and socket.io
// 4.8's: a connection counts only once the server has moved it to WebSocket, it stays alive
// through pings and counts what arrives, and every refusal fails it with a clear error.
import assert from "node:assert/strict";
import { createServer, type Agent, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, it } from "node:test";
import { Server as SioServer } from "socket.io";
import { Server as RtioServer } from "../../src/server/index.js";
import { connectPoll, pollAgent, type PollClient } from "./poll-client.js";
import { Tally } from "./tally.js";

interface Options {
  path?: string;
  pingInterval?: number;
  transports?: Array<"polling" | "websocket">;
  allowRequest?: (req: IncomingMessage, fn: (err: string | null | undefined, success: boolean) => void) => void;
}

/** What the specs use of a server; rtio's and socket.io's both have it. */
interface EngineConn {
  transport: { name: string };
  on(event: "packet", fn: (packet: { type: string }) => void): unknown;
  once(event: "upgrade", fn: () => void): unknown;
}
interface ServerLike {
  of(nsp: "/"): { sockets: Map<string, { conn: EngineConn }> };
  use(fn: (socket: { conn: EngineConn }, next: (err?: Error) => void) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): Promise<void>;
}

const impls: Array<[string, (http: ReturnType<typeof createServer>, opts: Options) => ServerLike]> = [
  ["rtio", (http, opts) => new RtioServer(http, opts)],
  ["socket.io", (http, opts) => new SioServer(http, opts)],
];

for (const [name, create] of impls) {
  describe(`poll client against ${name}`, () => {
    let io: ServerLike | undefined;
    let agent: Agent | undefined;
    const clients: PollClient[] = [];
    afterEach(async () => {
      for (const c of clients.splice(0)) c.terminate();
      agent?.destroy();
      await io?.close();
      io = undefined;
    });

    /** A server on port 0 whose http server answers 404 to whatever the Socket.IO server does not take. */
    async function start(opts: Options = {}): Promise<number> {
      const http = createServer((_req, res) => res.writeHead(404).end("not here"));
      io = create(http, opts);
      agent = pollAgent(20);
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      return (http.address() as AddressInfo).port;
    }

    it("completes the upgrade for 20 clients, answers pings on the WebSocket and counts frames", async () => {
      const port = await start({ pingInterval: 30 });
      const tally = new Tally();
      clients.push(...(await Promise.all(Array.from({ length: 20 }, () => connectPoll(port, agent!, tally, 5_000)))));
      assert.ok(clients.every((c) => c.connected));
      const sockets = [...io!.of("/").sockets.values()];
      assert.equal(sockets.length, 20);
      // A connection whose long-poll ended with engine.io's 100 ms noop (a stalled machine) may
      // still have its `5` in flight; engine.io's "upgrade" event says when it has arrived.
      await Promise.all(sockets.map((s) => s.conn.transport.name === "websocket" || new Promise<void>((r) => s.conn.once("upgrade", r))));
      assert.deepEqual(
        sockets.map((s) => s.conn.transport.name),
        Array.from({ length: 20 }, () => "websocket"),
      );
      // Three pongs in a row: the upgraded connection outlives several ping intervals.
      await new Promise<void>((resolve) => {
        let pongs = 0;
        sockets[0]!.conn.on("packet", (p) => p.type === "pong" && ++pongs === 3 && resolve());
      });
      io!.emit("hello", "x".repeat(300));
      io!.emit("bytes", Buffer.alloc(70_000));
      // Per client: the text event, and the binary event's header (text) and attachment (binary).
      while (tally.text < 40 || tally.binary < 20) await new Promise((r) => setImmediate(r));
      assert.deepEqual({ text: tally.text, binary: tally.binary }, { text: 40, binary: 20 });
      assert.equal(io!.of("/").sockets.size, 20);
    });

    it("answers a ping on polling with a POSTed pong before the connect reply", async () => {
      const port = await start({ pingInterval: 20 });
      let pongs = 0;
      // The namespace connect waits for the client's pong, which only a poll can have carried.
      io!.use((socket, next) => socket.conn.on("packet", (p) => p.type === "pong" && ++pongs === 1 && next()));
      clients.push(await connectPoll(port, agent!, new Tally(), 5_000));
      assert.ok(pongs >= 1);
      assert.equal(io!.of("/").sockets.size, 1);
    });

    it("fails when allowRequest refuses the handshake", async () => {
      const port = await start({ allowRequest: (_req, fn) => fn("no", false) });
      await assert.rejects(connectPoll(port, agent!, new Tally(), 5_000), /^Error: poll client: GET during handshake: HTTP 403 /);
    });

    it("fails on a wrong path", async () => {
      const port = await start({ path: "/elsewhere/" });
      await assert.rejects(connectPoll(port, agent!, new Tally(), 5_000), /^Error: poll client: GET during handshake: HTTP 404 not here$/);
    });

    it("fails when the server offers no WebSocket upgrade", async () => {
      const port = await start({ transports: ["polling"] });
      await assert.rejects(connectPoll(port, agent!, new Tally(), 5_000), /poll client: the open packet offers no websocket upgrade/);
    });

    it("fails when the namespace refuses the connect", async () => {
      const port = await start();
      io!.use((_socket, next) => next(new Error("not you")));
      await assert.rejects(connectPoll(port, agent!, new Tally(), 5_000), /poll client: no Socket\.IO connect, got 44\{"message":"not you"\}/);
    });
  });
}
