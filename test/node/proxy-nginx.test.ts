// Through a real reverse proxy, as socket.io promises: nginx in front of an rtio server,
// once passing WebSocket upgrades and once stripping them. rtio's client upgrades behind
// the first, stays on long-polling behind the second, and events, acks and binary flow
// both ways through each; a WebSocket-only client behind the second fails with connect_error.
import assert from "node:assert/strict";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, describe, it } from "node:test";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "../../src/client/index.js";
import { Server } from "../../src/server/index.js";
import { startNginx, type Nginx } from "../support/nginx.js";

type Options = Partial<ManagerOptions & SocketOptions>;

function next<T extends unknown[] = unknown[]>(emitter: { once(e: string, fn: (...a: any[]) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args as T)));
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

interface Upstream {
  io: Server;
  http: HttpServer;
  port: number;
}

async function startUpstream(): Promise<Upstream> {
  const http = createServer();
  const server = new Server(http);
  server.on("connection", (socket) => {
    socket.on("echo", (...args: unknown[]) => {
      const ack = args.pop();
      if (typeof ack === "function") ack(...args);
    });
    socket.on("whoami", (ack: (info: unknown) => void) =>
      ack({ transport: socket.conn.transport.name, forwardedFor: socket.handshake.headers["x-forwarded-for"] ?? null }),
    );
    // Server to client: binary and an ack the client answers.
    socket.on("ask", async (ack: (answer: unknown) => void) => {
      const answer: unknown = await socket.timeout(10_000).emitWithAck("question", Buffer.from([7, 8, 9]));
      ack(answer);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { io: server, http, port: (http.address() as AddressInfo).port };
}

for (const websocket of [true, false]) {
  describe(`through nginx ${websocket ? "passing" : "stripping"} WebSocket upgrades`, () => {
    let upstream: Upstream;
    let nginx: Nginx;
    const sockets: Socket[] = [];
    const open = (opts: Options = {}): Socket => {
      const socket = io(nginx.url, { forceNew: true, reconnection: false, ...opts });
      sockets.push(socket);
      return socket;
    };

    before(async () => {
      upstream = await startUpstream();
      nginx = await startNginx({ upstreamPort: upstream.port, websocket });
    });
    afterEach(() => {
      for (const socket of sockets.splice(0)) socket.disconnect();
    });
    after(async () => {
      await nginx.stop();
      await new Promise<void>((resolve) => upstream.io.close(() => resolve()));
    });

    if (websocket) {
      it("upgrades from long-polling to WebSocket", async () => {
        const socket = open();
        const upgraded = next(socket.io.engine, "upgrade");
        await connected(socket);
        await upgraded;
        assert.equal(socket.io.engine.transport.name, "websocket");
        const info = (await socket.emitWithAck("whoami")) as { transport: string; forwardedFor: string | null };
        assert.equal(info.transport, "websocket", "the server sees the WebSocket too");
        assert.equal(info.forwardedFor, "127.0.0.1", "the request came through the proxy");
      });

      it("connects with transports: ['websocket']", async () => {
        const socket = open({ transports: ["websocket"] });
        await connected(socket);
        assert.equal(socket.io.engine.transport.name, "websocket");
      });
    } else {
      it("stays on long-polling: the WebSocket probe fails and the client keeps polling", async () => {
        const socket = open();
        const probeFailed = next(socket.io.engine, "upgradeError");
        await connected(socket);
        await probeFailed;
        assert.equal(socket.io.engine.transport.name, "polling");
        const info = (await socket.emitWithAck("whoami")) as { transport: string; forwardedFor: string | null };
        assert.equal(info.transport, "polling");
        assert.equal(info.forwardedFor, "127.0.0.1", "the request came through the proxy");
      });

      it("a client with transports: ['websocket'] fails with a clear connect_error", async () => {
        const socket = open({ transports: ["websocket"] });
        const [err] = await next<[Error & { type?: string }]>(socket, "connect_error");
        assert.ok(err instanceof Error);
        assert.equal(err.message, "websocket error");
        assert.equal(err.type, "TransportError");
        assert.equal(socket.connected, false);
      });
    }

    it("carries events, acks and binary both ways", async () => {
      const socket = open();
      // Behind the upgrading proxy, wait for the upgrade so the exchange runs over WebSocket.
      const settled = next(socket.io.engine, websocket ? "upgrade" : "upgradeError");
      await connected(socket);
      await settled;
      assert.deepEqual(await socket.emitWithAck("echo", "text", { n: 1 }), "text");
      const bytes = (await socket.emitWithAck("echo", Buffer.from([1, 2, 3]))) as Buffer;
      assert.deepEqual([...bytes], [1, 2, 3]);
      socket.on("question", (data: Buffer, ack: (answer: unknown) => void) => ack({ got: [...data], back: Buffer.from([4]) }));
      const answer = (await socket.emitWithAck("ask")) as { got: number[]; back: Buffer };
      assert.deepEqual(answer.got, [7, 8, 9], "the server's binary reached the client");
      assert.deepEqual([...answer.back], [4], "the client's binary ack reached the server");
      assert.equal(socket.io.engine.transport.name, websocket ? "websocket" : "polling");
    });

    it("keeps many events in order", async () => {
      const socket = open();
      await connected(socket);
      const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => socket.emitWithAck("echo", i)));
      assert.deepEqual(replies, Array.from({ length: 100 }, (_, i) => i));
    });
  });
}
